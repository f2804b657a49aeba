/**
 * Stands in for the X-Ray daemon: a UDP socket on 127.0.0.1 that counts the trace segments each service
 * sends, so a benchmark can tell its functions still trace (the Powertools tracer annotates every
 * handler subsegment with its `Service`).
 */
import { createSocket } from 'node:dgram';

export interface XrayInbox {
  /** `host:port`, for AWS_XRAY_DAEMON_ADDRESS. */
  readonly address: string;
  /** Segments received so far from `service`. */
  segmentsFrom(service: string): number;
  close(): void;
}

export async function openXrayInbox(): Promise<XrayInbox> {
  const socket = createSocket('udp4');
  const counts = new Map<string, number>();
  socket.on('message', (datagram) => {
    // A datagram is a JSON header line, then the segment document.
    const document = datagram.toString().split('\n')[1];
    const service = document && (JSON.parse(document) as { annotations?: { Service?: string } }).annotations?.Service;
    if (service) counts.set(service, (counts.get(service) ?? 0) + 1);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    segmentsFrom: (service) => counts.get(service) ?? 0,
    close: () => socket.close(),
  };
}
