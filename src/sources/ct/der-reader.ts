/** A DER element that is not well formed, or not what the reader expected there. */
export class DerError extends Error {
  override readonly name = "DerError";
}

/** One DER element: its tag byte(s) and where its value lies in the buffer. */
export interface DerElement {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  tagClass: number;
  constructed: boolean;
  /** The tag number (SEQUENCE is 16, [3] is 3 in the context-specific class). */
  tagNumber: number;
  /** Offset of the first byte of the element (its tag). */
  start: number;
  /** Offset of the first byte of the value. */
  valueStart: number;
  /** Offset just past the value (and the element). */
  end: number;
}

/**
 * Tag numbers above this are refused: certificates use small numbers only, and a long
 * tag is either junk or an attempt to make the reader loop.
 */
const MAX_TAG_NUMBER = 0x1fffff;
/**
 * Length fields of more than four bytes are refused: nothing we read is 4 GiB long, and
 * the value must fit in the buffer anyway.
 */
const MAX_LENGTH_BYTES = 4;

/**
 * Reads DER elements one after another from a slice of a buffer, checking every length
 * against the end of its parent. It never reads outside `[start, end)` and never
 * recurses: callers walk the structure they know, so depth is bounded by the code.
 * Throws `DerError` on malformed input; callers turn that into a per-item problem.
 */
export class DerReader {
  #pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    if (start < 0 || end > bytes.length || start > end) {
      throw new RangeError("reader window outside the buffer");
    }
    this.#pos = start;
  }

  /** True when every element of the window has been read. */
  get done(): boolean {
    return this.#pos >= this.end;
  }

  /** Reads the next element and moves past it. */
  next(): DerElement {
    const start = this.#pos;
    let at = start;
    const first = this.#byte(at++, "tag");
    const tagClass = first >> 6;
    const constructed = (first & 0x20) !== 0;
    let tagNumber = first & 0x1f;
    if (tagNumber === 0x1f) {
      // High tag number form (X.690 §8.1.2.4): base-128 digits, high bit set on all but the last.
      tagNumber = 0;
      for (;;) {
        const b = this.#byte(at++, "tag");
        tagNumber = tagNumber * 128 + (b & 0x7f);
        if (tagNumber > MAX_TAG_NUMBER) throw new DerError(`tag number too large at ${start}`);
        if ((b & 0x80) === 0) break;
      }
    }
    const lengthByte = this.#byte(at++, "length");
    let length: number;
    if (lengthByte < 0x80) {
      length = lengthByte;
    } else if (lengthByte === 0x80) {
      throw new DerError(`indefinite length at ${start} (not DER)`);
    } else {
      const count = lengthByte & 0x7f;
      if (count > MAX_LENGTH_BYTES) {
        throw new DerError(`length field of ${count} bytes at ${start}`);
      }
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + this.#byte(at++, "length");
    }
    const valueStart = at;
    if (length > this.end - valueStart) {
      throw new DerError(
        `element at ${start} claims ${length} bytes but ${this.end - valueStart} remain`,
      );
    }
    this.#pos = valueStart + length;
    return { tagClass, constructed, tagNumber, start, valueStart, end: valueStart + length };
  }

  /** Reads the next element and checks it is the universal, constructed SEQUENCE or SET wanted. */
  expect(what: string, tagClass: number, tagNumber: number, constructed: boolean): DerElement {
    if (this.done) throw new DerError(`${what} is missing`);
    const element = this.next();
    if (
      element.tagClass !== tagClass ||
      element.tagNumber !== tagNumber ||
      element.constructed !== constructed
    ) {
      throw new DerError(`${what} has an unexpected tag at ${element.start}`);
    }
    return element;
  }

  /** The next SEQUENCE (universal 16, constructed). */
  sequence(what: string): DerElement {
    return this.expect(what, 0, 16, true);
  }

  /** A reader over the value of `element` (its children). */
  inside(element: DerElement): DerReader {
    return new DerReader(this.bytes, element.valueStart, element.end);
  }

  /** The value bytes of `element` (a view, not a copy). */
  value(element: DerElement): Uint8Array {
    return this.bytes.subarray(element.valueStart, element.end);
  }

  #byte(at: number, what: string): number {
    if (at >= this.end) throw new DerError(`truncated ${what} at ${at}`);
    return this.bytes[at] as number;
  }
}
