import { Readable } from 'node:stream';

/** One file of a tar stream: its size is known before its bytes are read, as the header needs it. */
export interface TarEntry {
  name: string;
  sizeBytes: number;
  modifiedAt: Date;
  content: () => Readable | Uint8Array;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** A POSIX ustar header. Names are ASCII and at most 100 bytes: the callers name files themselves. */
export function tarHeader(entry: Pick<TarEntry, 'name' | 'sizeBytes' | 'modifiedAt'>): Buffer {
  const name = Buffer.from(entry.name, 'utf8');
  if (name.byteLength > 100 || /[^\x20-\x7e]/.test(entry.name)) throw new Error(`tar entry name not representable: ${entry.name}`);
  const header = Buffer.alloc(BLOCK, 0);
  name.copy(header, 0);
  header.write(octal(0o644, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  header.write(octal(entry.sizeBytes, 12), 124, 'ascii');
  header.write(octal(Math.floor(entry.modifiedAt.getTime() / 1000), 12), 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  header.write(checksum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return header;
}

/**
 * The entries as one tar stream, read one after another; an error in an entry's stream (a digest that
 * no longer matches) ends the package with that error rather than with a truncated, valid-looking tar.
 */
export function tarStream(entries: readonly TarEntry[]): Readable {
  async function* blocks(): AsyncGenerator<Uint8Array> {
    for (const entry of entries) {
      yield tarHeader(entry);
      const content = entry.content();
      let written = 0;
      if (content instanceof Uint8Array) {
        written = content.byteLength;
        yield content;
      } else {
        for await (const chunk of content) {
          written += (chunk as Buffer).byteLength;
          yield chunk as Buffer;
        }
      }
      if (written !== entry.sizeBytes) throw new Error(`tar entry ${entry.name}: ${written} bytes, header said ${entry.sizeBytes}`);
      const padding = (BLOCK - (written % BLOCK)) % BLOCK;
      if (padding > 0) yield Buffer.alloc(padding, 0);
    }
    yield Buffer.alloc(BLOCK * 2, 0);
  }
  return Readable.from(blocks());
}
