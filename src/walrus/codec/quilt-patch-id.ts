// Walrus's QuiltPatchId codec and the frame key (a frame's quilt patch identifier), re-exported for
// the Walrus side of the code base. They live in the commitment codec because body v0 embeds them
// (src/commitment/); code that may import only src/walrus/codec (walrus-local) reaches them here.
export {
  frameKey,
  QUILT_PATCH_ID_LENGTH,
  decodeQuiltPatchId,
  encodeQuiltPatchId,
  quiltPatchIdFromText,
  quiltPatchIdToText,
  type QuiltPatchId,
} from '../../commitment/index.ts';
