// Walrus's QuiltPatchId codec, re-exported for the Walrus side of the code base. It lives in the
// commitment codec because body v0 embeds it verbatim (src/commitment/quilt-patch-id.ts); code
// that may import only src/walrus/codec (walrus-local) reaches it through here.
export {
  QUILT_PATCH_ID_LENGTH,
  decodeQuiltPatchId,
  encodeQuiltPatchId,
  quiltPatchIdFromText,
  quiltPatchIdToText,
  type QuiltPatchId,
} from '../../commitment/index.ts';
