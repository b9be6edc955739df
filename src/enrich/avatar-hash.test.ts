import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hammingDistance } from "../detect/index.js";
import { hashAvatarFile, hashAvatarFiles, MAX_AVATAR_BYTES } from "./avatar-hash.js";

/** A 200 × 200 picture: a face-like blob of circles on a gradient. */
function picture(seed: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">
    <defs><linearGradient id="g"><stop offset="0" stop-color="#${seed % 2 ? "204080" : "806020"}"/><stop offset="1" stop-color="#f0e0c0"/></linearGradient></defs>
    <rect width="200" height="200" fill="url(#g)"/>
    <circle cx="${60 + ((seed * 37) % 80)}" cy="90" r="${40 + ((seed * 13) % 30)}" fill="#302010"/>
    <rect x="${(seed * 53) % 120}" y="140" width="70" height="50" fill="#c04040"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vigil-avatar-"));
  const original = await picture(1);
  await writeFile(join(dir, "dana.png"), original);
  // The same picture as an impersonator uploads it: resized and re-encoded as JPEG.
  await writeFile(
    join(dir, "copy.jpg"),
    await sharp(original).resize(120, 120).jpeg({ quality: 60 }).toBuffer(),
  );
  await writeFile(join(dir, "other.png"), await picture(4));
  await writeFile(join(dir, "not-a-picture.jpg"), "hello");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("hashAvatarFile", () => {
  it("gives a resized, re-encoded copy a close hash and another picture a far one", async () => {
    const original = await hashAvatarFile(join(dir, "dana.png"));
    const copy = await hashAvatarFile(join(dir, "copy.jpg"));
    const other = await hashAvatarFile(join(dir, "other.png"));
    expect(hammingDistance(original, copy)).toBeLessThanOrEqual(4);
    expect(hammingDistance(original, other)).toBeGreaterThan(10);
  });

  it("refuses files that are not pictures or too big, with a stable code", async () => {
    await expect(hashAvatarFile(join(dir, "not-a-picture.jpg"))).rejects.toMatchObject({
      code: "VIGIL_ERR_SOCIAL_AVATAR",
    });
    const big = join(dir, "big.jpg");
    await writeFile(big, Buffer.alloc(MAX_AVATAR_BYTES + 1));
    await expect(hashAvatarFile(big)).rejects.toThrow(/more than/);
  });
});

describe("hashAvatarFiles", () => {
  it("hashes files relative to a folder, skips URLs, reports the rest", async () => {
    const { hashes, problems } = await hashAvatarFiles(
      ["dana.png", "copy.jpg", "https://pbs.example/dana.jpg", "missing.png"],
      { baseDir: dir },
    );
    expect([...hashes.keys()].sort()).toEqual(["copy.jpg", "dana.png"]);
    expect(problems.map((p) => [p.item, p.code])).toEqual([
      ["missing.png", "VIGIL_ERR_SOCIAL_AVATAR"],
    ]);
  });
});
