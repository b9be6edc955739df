export {
  hashAvatarFile,
  hashAvatarFiles,
  hashImage,
  isUrl,
  MAX_AVATAR_BYTES,
  MAX_AVATAR_FILES,
  MAX_AVATAR_PIXELS,
  MAX_AVATAR_SECONDS,
} from "./avatar-hash.js";
export { AvatarHasher, type AvatarHashResult } from "./avatar-hasher.js";
