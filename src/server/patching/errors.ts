/** A patch that cannot be applied: `code` 400 (malformed) or 422 (cannot apply), with a message for the Status. */
export class PatchError extends Error {
  constructor(
    readonly code: 400 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}
