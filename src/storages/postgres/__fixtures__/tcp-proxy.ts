/**
 * A TCP proxy in front of PostgreSQL for the connection tests: it can go down (new connections
 * refused, open ones cut) and come back on the same port, or cut a connection at the moment a
 * given answer comes back from the server (a commit that happened but whose answer was lost).
 * @module
 */
import net from 'node:net';

/** The protocol's CommandComplete message with `tag` ('COMMIT', 'SELECT 1'…). */
export function commandComplete(tag: string): Buffer {
  const body = Buffer.from(`${tag}\0`);
  const head = Buffer.alloc(5);
  head[0] = 0x43; // 'C'
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private dropWhen: ((chunk: Buffer) => boolean) | null = null;
  /** Answers cut so far by {@link cutAnswer}. */
  cut = 0;

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  /** Starts a proxy on a free port of 127.0.0.1, forwarding to `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const proxy = new TcpProxy(port, target);
    await proxy.resume();
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  /** Goes down: refuses new connections and cuts the open ones. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Comes back on the same port. */
  async resume(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /**
   * Cuts the next connection whose server-to-client data matches `predicate`, dropping that
   * data: the client never sees the answer, although the server acted on the request.
   */
  cutAnswer(predicate: (chunk: Buffer) => boolean): void {
    this.dropWhen = predicate;
  }

  async close(): Promise<void> {
    await this.stop();
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (this.dropWhen?.(chunk)) {
        this.dropWhen = null;
        this.cut++;
        end();
        return;
      }
      client.write(chunk);
    });
  }
}
