/**
 * Realistic synthetic patients, deterministic for a seed number: common first and last names
 * (with their real spelling variants, so typo and sound-alike searches have neighbours), unique
 * emails, street addresses and plausible dates.
 */
const FIRST_NAMES = [
  'James', 'John', 'Jon', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Joseph', 'Thomas', 'Charles', 'Christopher',
  'Daniel', 'Matthew', 'Anthony', 'Mark', 'Donald', 'Steven', 'Stephen', 'Paul', 'Andrew', 'Joshua', 'Kenneth', 'Kevin',
  'Brian', 'Bryan', 'George', 'Timothy', 'Ronald', 'Edward', 'Jason', 'Jeffrey', 'Ryan', 'Jacob', 'Gary', 'Nicholas', 'Eric',
  'Erik', 'Jonathan', 'Larry', 'Justin', 'Scott', 'Brandon', 'Benjamin', 'Samuel', 'Gregory', 'Frank', 'Alexander', 'Raymond',
  'Patrick', 'Jack', 'Dennis', 'Jerry', 'Tyler', 'Aaron', 'Jose', 'Adam', 'Henry', 'Nathan', 'Douglas', 'Zachary', 'Peter',
  'Kyle', 'Walter', 'Ethan', 'Jeremy', 'Harold', 'Keith', 'Christian', 'Roger', 'Noah', 'Gerald', 'Carl', 'Terry', 'Sean',
  'Shawn', 'Austin', 'Arthur', 'Lawrence', 'Jesse', 'Dylan', 'Bruce', 'Jordan', 'Albert', 'Logan', 'Willie', 'Alan', 'Juan',
  'Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Sara', 'Karen', 'Nancy',
  'Lisa', 'Betty', 'Margaret', 'Sandra', 'Ashley', 'Kimberly', 'Emily', 'Donna', 'Michelle', 'Dorothy', 'Carol', 'Amanda',
  'Melissa', 'Deborah', 'Stephanie', 'Rebecca', 'Sharon', 'Laura', 'Cynthia', 'Kathleen', 'Amy', 'Shirley', 'Angela',
  'Helen', 'Anna', 'Ann', 'Anne', 'Brenda', 'Pamela', 'Nicole', 'Emma', 'Samantha', 'Katherine', 'Catherine', 'Kathryn',
  'Christine', 'Debra', 'Rachel', 'Caroline', 'Carolyn', 'Janet', 'Jane', 'Jean', 'Joan', 'Virginia', 'Maria', 'Heather',
  'Diane', 'Julie', 'Joyce', 'Victoria', 'Kelly', 'Christina', 'Lauren', 'Joan', 'Evelyn', 'Olivia', 'Judith', 'Megan',
  'Cheryl', 'Martha', 'Andrea', 'Frances', 'Hannah', 'Jacqueline', 'Gloria', 'Teresa', 'Theresa', 'Kathy', 'Sophia', 'Zoe',
];

const LAST_NAMES = [
  'Smith', 'Smyth', 'Johnson', 'Jonson', 'Williams', 'Brown', 'Braun', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez',
  'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Andersen', 'Thomas', 'Taylor', 'Moore', 'Jackson',
  'Martin', 'Lee', 'Leigh', 'Perez', 'Thompson', 'Thomson', 'White', 'Harris', 'Sanchez', 'Clark', 'Clarke', 'Ramirez',
  'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'Allan', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Greene', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Gomez',
  'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes', 'Stewart', 'Stuart', 'Morris',
  'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper', 'Peterson', 'Petersen', 'Bailey',
  'Reed', 'Reid', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson', 'Watson', 'Brooks', 'Chavez', 'Wood',
  'James', 'Bennett', 'Gray', 'Grey', 'Mendoza', 'Ruiz', 'Hughes', 'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel',
  'Myers', 'Meyers', 'Long', 'Ross', 'Foster', 'Jimenez', 'Powell', 'Jenkins', 'Perry', 'Russell', 'Sullivan', 'Bell',
  'Coleman', 'Butler', 'Henderson', 'Barnes', 'Gonzales', 'Fisher', 'Fischer', 'Vasquez', 'Simmons', 'Romero', 'Jordan',
  'Patterson', 'Alexander', 'Hamilton', 'Graham', 'Reynolds', 'Griffin', 'Wallace', 'Moreno', 'West', 'Cole', 'Hayes',
  'Bryant', 'Herrera', 'Gibson', 'Ellis', 'Tran', 'Medina', 'Aguilar', 'Stevens', 'Murray', 'Ford', 'Castro', 'Marshall',
  'Owens', 'Harrison', 'Fernandez', 'McDonald', 'Woods', 'Washington', 'Kennedy', 'Wells', 'Vargas', 'Henry', 'Chen',
  'Freeman', 'Webb', 'Tucker', 'Guzman', 'Burns', 'Crawford', 'Olson', 'Simpson', 'Porter', 'Hunter', 'Gordon', 'Mendez',
  'Silva', 'Shaw', 'Snyder', 'Mason', 'Dixon', 'Munoz', 'Hunt', 'Hicks', 'Holmes', 'Palmer', 'Wagner', 'Black', 'Robertson',
  'Boyd', 'Rose', 'Stone', 'Salazar', 'Fox', 'Warren', 'Mills', 'Meyer', 'Rice', 'Schmidt', 'Schmitt', 'Garza', 'Daniels',
  'Ferguson', 'Nichols', 'Stephens', 'Soto', 'Weaver', 'Ryan', 'Gardner', 'Payne', 'Grant', 'Dunn', 'Kelley', 'Spencer',
  'Hawkins', 'Arnold', 'Pierce', 'Vazquez', 'Hansen', 'Hanson', 'Peters', 'Santos', 'Hart', 'Bradley', 'Knight', 'Elliott',
  'Cunningham', 'Duncan', 'Armstrong', 'Hudson', 'Carroll', 'Lane', 'Riley', 'Andrews', 'Alvarado', 'Ray', 'Delgado',
  'Berry', 'Perkins', 'Hoffman', 'Johnston', 'Matthews', 'Pena', 'Richards', 'Contreras', 'Willis', 'Carpenter', 'Lawrence',
  'Sandoval', 'Guerrero', 'George', 'Chapman', 'Rios', 'Estrada', 'Ortega', 'Watkins', 'Greenberg', 'Doe', 'Dough',
];

const STREETS = ['Main', 'Oak', 'Pine', 'Maple', 'Cedar', 'Elm', 'Washington', 'Lake', 'Hill', 'Park', 'Sunset', 'River', 'Church', 'Mill'];
const STREET_KINDS = ['St', 'Ave', 'Rd', 'Blvd', 'Ln', 'Dr', 'Ct', 'Way'];
const CITIES = ['Springfield', 'Riverton', 'Fairview', 'Madison', 'Georgetown', 'Salem', 'Franklin', 'Clinton', 'Greenville', 'Bristol'];
const DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.com', 'health.example.org'];

export interface SyntheticPatient {
  name: string;
  email: string;
  address: string;
  dateOfBirth: string;
  registeredDate: string;
}

/** A small fast PRNG (mulberry32), so a seed number always makes the same patients. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The patient number `index` of a run: the same index and run tag give the same patient. The
 * email carries the index and `tag` so it is unique within and across runs.
 */
export function syntheticPatient(index: number, tag: string): SyntheticPatient {
  const next = random(index * 7919 + 17);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const first = pick(FIRST_NAMES);
  const last = pick(LAST_NAMES);
  const birth = Date.UTC(1930, 0, 1) + Math.floor(next() * 90 * 365.25) * DAY_MS;
  const registered = Date.UTC(2015, 0, 1) + Math.floor(next() * 10 * 365) * DAY_MS;
  return {
    name: `${first} ${last}`,
    email: `${first}.${last}.${tag}${index}@${pick(DOMAINS)}`.toLowerCase(),
    address: `${1 + Math.floor(next() * 9999)} ${pick(STREETS)} ${pick(STREET_KINDS)}, ${pick(CITIES)}`,
    dateOfBirth: isoDate(birth),
    registeredDate: isoDate(Math.max(registered, birth)),
  };
}
