import { describe, expect, it } from "vitest";
import { DerError, DerReader } from "./der-reader.js";

const bytes = (...b: number[]) => new Uint8Array(b);

describe("DerReader", () => {
  it("reads short and long lengths and steps over elements", () => {
    const long = new Uint8Array([0x04, 0x81, 0x80, ...new Uint8Array(0x80)]);
    const reader = new DerReader(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05, ...long]));
    const seq = reader.sequence("outer");
    expect(seq).toMatchObject({
      tagClass: 0,
      constructed: true,
      tagNumber: 16,
      valueStart: 2,
      end: 5,
    });
    const inner = reader.inside(seq).next();
    expect(inner).toMatchObject({ tagNumber: 2, valueStart: 4, end: 5 });
    expect(reader.next()).toMatchObject({ tagNumber: 4, valueStart: 8, end: 8 + 0x80 });
    expect(reader.done).toBe(true);
  });

  it("reads a high tag number", () => {
    const element = new DerReader(bytes(0x9f, 0x81, 0x00, 0x00)).next();
    expect(element).toMatchObject({ tagClass: 2, tagNumber: 128, end: 4 });
  });

  it.each([
    ["a length past the end", bytes(0x30, 0x05, 0x00), /claims 5 bytes but 1 remain/],
    ["an indefinite length", bytes(0x30, 0x80, 0x00, 0x00), /indefinite length/],
    ["a five-byte length field", bytes(0x04, 0x85, 1, 0, 0, 0, 0), /length field of 5 bytes/],
    ["a truncated length", bytes(0x04, 0x82, 0x01), /truncated length/],
    ["a missing length", bytes(0x04), /truncated length/],
    [
      "an endless high tag",
      bytes(0x1f, 0xff, 0xff, 0xff, 0xff),
      /tag number too large|truncated tag/,
    ],
  ])("refuses %s", (_what, input, message) => {
    expect(() => new DerReader(input).next()).toThrow(message);
    expect(() => new DerReader(input).next()).toThrow(DerError);
  });

  it("never reads past the window of its parent", () => {
    // The inner element claims 3 bytes; the parent holds 2 of them.
    const reader = new DerReader(bytes(0x30, 0x02, 0x04, 0x03, 0x01, 0x02, 0x03));
    const parent = reader.sequence("parent");
    expect(() => reader.inside(parent).next()).toThrow(/claims 3 bytes but 0 remain/);
  });

  it("says which element has the wrong tag", () => {
    expect(() => new DerReader(bytes(0x31, 0x00)).sequence("subject")).toThrow(
      /subject has an unexpected tag/,
    );
    expect(() => new DerReader(bytes()).sequence("subject")).toThrow(/subject is missing/);
  });
});
