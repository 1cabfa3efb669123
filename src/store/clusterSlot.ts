import { hashTag } from './hashTag.js';

/**
 * The Redis Cluster slot of `key`: CRC16 (XMODEM: polynomial 0x1021, initial value 0) of its hash tag, modulo 16384,
 * as the Cluster specification defines it. Computed bit by bit: it runs once per durable write, not per command.
 */
export function clusterSlot(key: string): number {
  let crc = 0;
  for (const byte of Buffer.from(hashTag(key))) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}
