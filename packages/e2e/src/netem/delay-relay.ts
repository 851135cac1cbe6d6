import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

// A UDP relay that holds every datagram for a fixed time each way: the added delay of a slow
// radio link, which this kernel cannot give (no netem) and Debian's Chromium does not build in
// (its WebRTC fake network is compiled out). Run inside the client's namespace by
// `ClientNet.delay` (netns.ts): an iptables REDIRECT sends the client's UDP to the SFU here, and
// the relay forwards it to the SFU's second address (not redirected), one socket per client
// socket; replies come back the same way, and conntrack makes them appear to come from the SFU.
//
//   node delay-relay.ts <listen port> <upstream ip> <upstream port> <one-way delay ms>

const [listenPort, upstreamIp, upstreamPort, delayMs] = process.argv.slice(2);
const port = Number(upstreamPort);
const delay = Number(delayMs);
if (!listenPort || !upstreamIp || !Number.isFinite(port) || !Number.isFinite(delay)) {
  console.error('usage: delay-relay.ts <listen port> <upstream ip> <upstream port> <one-way delay ms>');
  process.exit(2);
}

const server = createSocket('udp4');
const upstreams = new Map<string, Socket>();

server.on('message', (msg: Buffer, from: RemoteInfo) => {
  const key = `${from.address}:${from.port}`;
  let up = upstreams.get(key);
  if (!up) {
    const socket = createSocket('udp4');
    socket.on('message', (reply: Buffer) => setTimeout(() => server.send(reply, from.port, from.address), delay));
    socket.on('error', () => socket.close());
    socket.bind(0);
    upstreams.set(key, socket);
    up = socket;
  }
  const target = up;
  setTimeout(() => target.send(msg, port, upstreamIp), delay);
});
server.bind(Number(listenPort), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
