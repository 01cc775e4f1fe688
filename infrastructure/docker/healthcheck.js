// Container health probe: `node healthcheck.js [/health/live|/health/ready]`.
// Asks the service on the port it listens on: HTTP_PORT when set, otherwise the default of the
// app's own config schema, so this file never repeats the port table.
const app = process.env.APP;
const path = process.argv[2] ?? '/health/live';

function defaultHttpPort() {
  const config = require(`./dist/apps/${app}/src/config/${app}.config.js`);
  return config[`${app}ConfigSchema`].shape.HTTP_PORT.parse(undefined);
}

const port = process.env.HTTP_PORT || defaultHttpPort();
fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
