import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";

/** Records gathered before one write: big writes are fast, and this bounds the memory held. */
const RECORDS_PER_WRITE = 2_000;

/**
 * Writes JSON lines to a file with bounded memory: records are gathered into large
 * writes, and each write waits for the file to drain when its buffer is full.
 */
export class JsonlWriter {
  private readonly stream: WriteStream;
  private lines: string[] = [];
  private failure: Error | undefined;

  /** Creates (or truncates) the file at `path`. */
  constructor(path: string) {
    this.stream = createWriteStream(path);
    this.stream.on("error", (err) => {
      this.failure = err;
    });
  }

  /** Adds one record as a line. */
  async write(record: unknown): Promise<void> {
    this.lines.push(JSON.stringify(record));
    if (this.lines.length >= RECORDS_PER_WRITE) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.lines.length === 0) return;
    const chunk = `${this.lines.join("\n")}\n`;
    this.lines = [];
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  /** Writes what is left and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, "finish");
    if (this.failure) throw this.failure;
  }
}
