import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { SignallingConfig } from './config.ts';
import { createApp } from './http/app.ts';
import { LinkSigner } from './links/link-token.ts';
import { RoomRegistry } from './rooms/room-registry.ts';
import { SfuClient } from './sfu/sfu-client.ts';
import { attachRoomNamespace } from './socket/room-socket.ts';

export interface SignallingServer {
  port: number;
  http: HttpServer;
  io: Server;
  sfu: SfuClient;
  rooms: RoomRegistry;
  links: LinkSigner;
  close(): Promise<void>;
}

/** Composes the signalling process; main.ts and the tests both start it this way. */
export async function startSignalling(config: SignallingConfig, log: Logger): Promise<SignallingServer> {
  const sfu = new SfuClient({ url: config.sfuUrl, secret: config.sfuSecret, log });
  const links = new LinkSigner(config.linkSecret);
  const rooms = new RoomRegistry(sfu, log);
  const app = createApp({ links, sfu, webDist: config.webDist, log });
  const http = createServer(app);
  // Above the protocol's 64 KB limit, so an oversized message still gets an error ack.
  const io = new Server(http, { maxHttpBufferSize: 256 * 1024, serveClient: false, pingInterval: 10_000, pingTimeout: 10_000 });
  attachRoomNamespace(io, rooms, links, log);
  await sfu.connect();
  await new Promise<void>((resolve) => http.listen(config.port, config.host, resolve));
  const port = (http.address() as AddressInfo).port;
  log.info({ port }, 'signalling listening');
  return {
    port,
    http,
    io,
    sfu,
    rooms,
    links,
    async close() {
      await rooms.closeAll('server_shutdown');
      await new Promise<void>((resolve) => io.close(() => resolve()));
      sfu.close();
    },
  };
}
