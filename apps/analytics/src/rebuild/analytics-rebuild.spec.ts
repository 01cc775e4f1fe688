import { compareAggregates, rebuildAndCompare } from './analytics-rebuild';

const tables = (entries: Record<string, Record<string, string>>) =>
  new Map(Object.entries(entries).map(([table, rows]) => [table, new Map(Object.entries(rows))]));

describe('compareAggregates', () => {
  it('finds nothing when every table holds the same rows', () => {
    const same = { revenue_daily: { '2024-03-02|EUR': '100,50' }, appointment_states: { a1: 'COMPLETED,d1,2024-03-02' } };
    expect(compareAggregates(tables(same), tables(same))).toEqual([]);
  });

  it('names the table, the key and both values for a changed, missing or extra row', () => {
    const live = tables({ revenue_daily: { '2024-03-02|EUR': '100,50', '2024-03-03|EUR': '7,0' } });
    const rebuilt = tables({ revenue_daily: { '2024-03-02|EUR': '100,40', '2024-03-04|EUR': '1,1' } });
    expect(compareAggregates(live, rebuilt)).toEqual([
      'revenue_daily 2024-03-02|EUR: live=100,50 rebuilt=100,40',
      'revenue_daily 2024-03-03|EUR: live=7,0 rebuilt=(none)',
      'revenue_daily 2024-03-04|EUR: live=(none) rebuilt=1,1',
    ]);
  });

  it('lists at most 20 differences per table and counts the rest', () => {
    const rows = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`p${String(i).padStart(2, '0')}`, 'false']));
    const differences = compareAggregates(tables({ patient_registry: rows }), tables({}));
    expect(differences).toHaveLength(21);
    expect(differences[20]).toBe('patient_registry: 5 more differences');
  });
});

describe('rebuildAndCompare', () => {
  it('refuses a database name it could not put into DROP DATABASE as it is, before connecting anywhere', async () => {
    // Nothing listens on these ports: reaching them would fail differently.
    const config = {
      DB_HOST: '127.0.0.1',
      DB_PORT: 1,
      DB_USER: 'postgres',
      DB_PASSWORD: '',
      DB_POOL_SIZE: 1,
      DB_SSL: false,
      KAFKA_BROKERS: '127.0.0.1:1',
      KAFKA_CONSUMER_GROUP: 'analytics',
    };
    await expect(rebuildAndCompare({ ...config, DB_NAME: 'analytics; DROP DATABASE patients' })).rejects.toThrow(
      'Unusable scratch database name analytics; DROP DATABASE patients_rebuild',
    );
    await expect(rebuildAndCompare({ ...config, DB_NAME: 'Analytics-Prod' })).rejects.toThrow('Unusable scratch database name');
  });
});
