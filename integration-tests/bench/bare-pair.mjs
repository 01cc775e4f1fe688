// The ceiling bench:load compares against: a bare Node `http` server answering a patient-sized
// JSON body, and a bare `http` proxy in front of it (keep-alive agent, body piped through). Each
// runs as its own process, as the gateway and the patient service do:
//
//   node integration-tests/bench/bare-pair.mjs server <port>
//   node integration-tests/bench/bare-pair.mjs proxy <port> <upstream port>
//
// Prints "listening" once it accepts connections.
import http from 'node:http';

const [role, port, upstreamPort] = process.argv.slice(2);

// About the size of GET /patients/{id}'s answer; made-up data.
const BODY = JSON.stringify({
  id: '00000000-0000-4000-8000-000000000000',
  name: 'Bare Pair',
  email: 'bare.pair@example.org',
  address: '1 Benchmark Road, Springfield',
  dateOfBirth: '1980-01-01',
  registeredDate: '2024-01-10',
  version: 1,
});

function serve(request, response) {
  request.resume();
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), etag: 'W/"1"' });
  response.end(BODY);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

function forward(request, response) {
  const upstream = http.request(
    { host: '127.0.0.1', port: Number(upstreamPort), method: request.method, path: request.url, headers: request.headers, agent },
    (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', () => {
    response.writeHead(502);
    response.end();
  });
  request.pipe(upstream);
}

if (role !== 'server' && role !== 'proxy') throw new Error('usage: bare-pair.mjs server <port> | proxy <port> <upstream port>');
const server = http.createServer(role === 'server' ? serve : forward);
server.listen(Number(port), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => process.exit(0));
