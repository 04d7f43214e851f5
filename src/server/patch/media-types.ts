/**
 * PATCH Content-Type → patch type, matched exactly on the media type (parameters such as
 * `; charset=utf-8` ignored, case-insensitive), never by substring:
 * `application/strategic-merge-patch+json` contains `merge-patch+json`, and routing it to the
 * JSON merge patch code silently breaks kubectl apply/edit (reference kubectl.md §0 item 8).
 * `application/apply-patch+cbor` is undefined: kube-apiserver 1.32 serves it only behind the
 * alpha CBORServingAndStorage gate. Undefined means 415 UnsupportedMediaType for the caller.
 */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const byMediaType: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export function patchTypeFor(contentType: string): PatchType | undefined {
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(byMediaType, mediaType) ? byMediaType[mediaType] : undefined;
}
