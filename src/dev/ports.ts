import net from 'node:net';

/** A TCP port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether something accepts TCP connections on host:port. */
export async function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Every port `npm start` binds, each one free a moment ago: a stack beside others (tests, the fuzzer). */
export async function freeDevStackPorts() {
  return {
    DEV_POSTGRES_PORT: await freePort(),
    DEV_TEMPORAL_PORT: await freePort(),
    DEV_TEMPORAL_UI_PORT: await freePort(),
    API_PORT: await freePort(),
    DEV_FMS_SIM_PORT: await freePort(),
    DEV_CAFE24_SIM_PORT: await freePort(),
    WORKER_METRICS_PORT: await freePort(),
    API_METRICS_PORT: await freePort(),
  };
}

/** Ports as environment variables. */
export const portsEnv = (ports: Record<string, number>): Record<string, string> => Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)]));
