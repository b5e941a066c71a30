/**
 * A Slack Socket Mode server on 127.0.0.1 for tests: a real WebSocket server (RFC 6455 handshake and
 * framing over node:http's `upgrade`, no library) speaking Slack's Socket Mode protocol as
 * @slack/socket-mode expects it: `{type:'hello'}` once the connection is open, envelopes
 * `{envelope_id, type, payload, accepts_response_payload, retry_attempt, retry_reason}`, acks
 * `{envelope_id, payload}` from the app, `{type:'disconnect', reason}` when Slack recycles a connection,
 * pings answered with pongs (the client pings every few seconds and disconnects without pongs).
 * Point FakeSlackApi.socketUrl at `url` so apps.connections.open hands it out.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

type Json = Record<string, any>;

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** One server frame (servers never mask). */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) header = Buffer.from([0x80 | opcode, length]);
  else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** One WebSocket connection from the app. */
export class SocketConnection {
  /** JSON text messages the app sent (acks). */
  readonly received: Json[] = [];
  /** Payloads of the pongs the app sent back. */
  readonly pongs: string[] = [];
  /** Pings the app sent (and were answered). */
  pings = 0;
  /** Close code of the app's close frame, when it sent one. */
  clientCloseCode: number | undefined;
  /** Protocol errors seen on this connection (unmasked frames, binary messages…). */
  readonly errors: string[] = [];
  /** The TCP connection is gone. */
  closed = false;
  private buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private closeSent = false;

  constructor(
    readonly id: number,
    readonly path: string,
    private readonly socket: Socket,
    private readonly onMessage: (connection: SocketConnection, message: Json) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', (error) => this.errors.push(`socket: ${error.message}`));
  }

  get open(): boolean {
    return !this.closed && !this.closeSent && this.clientCloseCode === undefined;
  }

  data(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const b0 = this.buffer[0]!;
      const b1 = this.buffer[1]!;
      let length = b1 & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      const end = offset + (masked ? 4 : 0) + length;
      if (this.buffer.length < end) return;
      const payload = Buffer.from(this.buffer.subarray(end - length, end));
      if (masked) {
        const mask = this.buffer.subarray(offset, offset + 4);
        for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i % 4]!;
      } else this.errors.push('unmasked client frame');
      this.buffer = this.buffer.subarray(end);
      this.frame((b0 & 0x80) !== 0, b0 & 0x0f, payload);
    }
  }

  private frame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OP.continuation:
      case OP.text:
        this.fragments.push(payload);
        if (fin) {
          const text = Buffer.concat(this.fragments).toString('utf8');
          this.fragments = [];
          try {
            const message = JSON.parse(text) as Json;
            this.received.push(message);
            this.onMessage(this, message);
          } catch {
            this.errors.push(`not JSON: ${text.slice(0, 100)}`);
          }
        }
        return;
      case OP.binary:
        this.errors.push('binary message');
        return;
      case OP.ping:
        this.pings++;
        this.socket.write(frame(OP.pong, payload));
        return;
      case OP.pong:
        this.pongs.push(payload.toString('utf8'));
        return;
      case OP.close:
        this.clientCloseCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        // The closing handshake: echo the close frame, then end the TCP connection.
        if (!this.closeSent) {
          this.closeSent = true;
          this.socket.write(frame(OP.close, payload.subarray(0, 2)));
        }
        this.socket.end();
        return;
      default:
        this.errors.push(`unknown opcode ${opcode}`);
    }
  }

  send(message: Json): void {
    if (!this.open) throw new Error(`socket connection ${this.id} is not open`);
    this.socket.write(frame(OP.text, Buffer.from(JSON.stringify(message), 'utf8')));
  }

  ping(data: string): void {
    this.socket.write(frame(OP.ping, Buffer.from(data, 'utf8')));
  }

  /** Drops the TCP connection without a closing handshake (a network failure). */
  destroy(): void {
    this.socket.destroy();
  }
}

export interface EnvelopeOptions {
  envelopeId?: string;
  acceptsResponsePayload?: boolean;
  retryAttempt?: number;
  retryReason?: string;
}

export class FakeSlackSocket {
  readonly connections: SocketConnection[] = [];
  /** Every ack received, on any connection. */
  readonly acks: Json[] = [];
  url = '';
  private server: Server | undefined;

  async start(): Promise<void> {
    this.server = createServer((_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
      response.end('WebSocket only');
    });
    this.server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(request, socket, head));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}&app_id=A0JEMBATAN`;
  }

  private upgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    const key = request.headers['sec-websocket-key'];
    if (String(request.headers.upgrade ?? '').toLowerCase() !== 'websocket' || typeof key !== 'string' || request.headers['sec-websocket-version'] !== '13') {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
    socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, '', ''].join('\r\n'));
    const connection = new SocketConnection(this.connections.length + 1, request.url ?? '/', socket, (_connection, message) => {
      if (typeof message.envelope_id === 'string') this.acks.push(message);
    });
    this.connections.push(connection);
    if (head.length > 0) connection.data(head);
    // What Slack says once the link is up; the client is "connected" only after it.
    connection.send({
      type: 'hello',
      num_connections: this.connections.filter((c) => c.open).length,
      debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: 'A0JEMBATAN' },
    });
  }

  /** The newest open connection. */
  get current(): SocketConnection | undefined {
    return this.connections.filter((connection) => connection.open).at(-1);
  }

  /** Sends an envelope on the newest open connection; returns its envelope_id. */
  envelope(type: 'events_api' | 'slash_commands' | 'interactive', payload: Json, options: EnvelopeOptions = {}): string {
    const connection = this.current;
    if (!connection) throw new Error('no open Socket Mode connection');
    const envelopeId = options.envelopeId ?? randomUUID();
    connection.send({
      envelope_id: envelopeId,
      payload,
      type,
      accepts_response_payload: options.acceptsResponsePayload ?? type !== 'events_api',
      ...(type === 'events_api' ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? '' } : {}),
    });
    return envelopeId;
  }

  /** What Slack sends before recycling a connection; the client closes it and opens a new one. */
  disconnect(reason = 'refresh_requested'): void {
    this.current?.send({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } });
  }

  ack(envelopeId: string): Json | undefined {
    return this.acks.find((ack) => ack.envelope_id === envelopeId);
  }

  async stop(): Promise<void> {
    for (const connection of this.connections) connection.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
