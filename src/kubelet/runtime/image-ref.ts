/**
 * Image references as the kubelet and containerd read them (distribution/reference): parse, validate, and normalize
 * ("nginx" → "docker.io/library/nginx:latest"). parseImageRef never throws: it returns { error } worded as upstream's
 * parser ("invalid reference format", "invalid reference format: repository name (library/X) must be lowercase").
 */

export interface ImageRef {
  /** "docker.io" when the reference names no registry. */
  domain: string;
  /** Repository path, "library/nginx" for official Docker Hub images. */
  path: string;
  tag?: string;
  digest?: string;
  /** domain/path[:tag][@digest], the tag defaulted to "latest" when neither tag nor digest is given. */
  normalized: string;
}

const NAME_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;
const FORMAT = 'invalid reference format';
const NAME_MAX = 255;

export function parseImageRef(ref: string): ImageRef | { error: string } {
  if (/^[a-f0-9]{64}$/.test(ref)) return { error: `invalid repository name (${ref}), cannot specify 64-byte hexadecimal strings` };
  // As ParseNormalizedNamed: split off the domain, check the repository is lowercase, then parse the whole grammar.
  const slash = ref.indexOf('/');
  const first = slash >= 0 ? ref.slice(0, slash) : '';
  let domain = 'docker.io';
  let remainder = ref;
  if (slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase())) {
    domain = first === 'index.docker.io' ? 'docker.io' : first;
    remainder = ref.slice(slash + 1);
  }
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  const colon = remainder.indexOf(':');
  const remoteName = colon >= 0 ? remainder.slice(0, colon) : remainder;
  if (remoteName.toLowerCase() !== remoteName) return { error: `${FORMAT}: repository name (${remoteName}) must be lowercase` };

  if (!DOMAIN.test(domain)) return { error: FORMAT };
  let rest = remainder;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { error: FORMAT };
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) return { error: FORMAT };
  }
  if (!rest.split('/').every((c) => NAME_COMPONENT.test(c))) return { error: FORMAT };
  if (`${domain}/${rest}`.length > NAME_MAX) return { error: `repository name must not be more than ${NAME_MAX} characters` };
  const normalizedTag = tag ?? (digest ? undefined : 'latest');
  const normalized = `${domain}/${rest}${normalizedTag ? `:${normalizedTag}` : ''}${digest ? `@${digest}` : ''}`;
  return { domain, path: rest, tag, digest, normalized };
}

export const isImageRefError = (r: ImageRef | { error: string }): r is { error: string } => 'error' in r;
