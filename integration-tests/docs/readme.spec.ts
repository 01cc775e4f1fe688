import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configurationTable } from './config-reference';

const readme = readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('documents every configuration variable with its default and the services that read it', () => {
    const table = configurationTable();
    // On failure, paste the generated table (printed in the diff) under "## Configuration".
    expect(readme).toContain(table);
  });

  it('gives the two commands for a fresh machine', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
