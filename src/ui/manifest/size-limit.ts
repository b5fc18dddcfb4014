/**
 * The largest manifest file KubeLab applies, and the message that refuses a larger one. kubectl reads files of any
 * size; an editor extension must stay responsive: parsing 8 MiB of YAML takes ~3 s and ~300 MB of heap, 50 MiB
 * would take ~20 s and ~2 GB. The check runs on the size before the file is read (stat) and on the text of an
 * editor that is open on the file (its unsaved text wins, and VS Code hands extensions texts up to 50 MB).
 */
export const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

/** Undefined when `bytes` may be applied; else `app.yaml is 50.0 MB; KubeLab applies manifests up to 8 MB`. */
export function sizeRefusal(file: string, bytes: number, limit = MAX_MANIFEST_BYTES): string | undefined {
  if (bytes <= limit) return undefined;
  return `${file.replace(/^.*[\\/]/, '')} is ${(bytes / 1048576).toFixed(1)} MB; KubeLab applies manifests up to ${limit / 1048576} MB`;
}
