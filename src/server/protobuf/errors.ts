/**
 * Thrown by {@link decodeKubernetesProtobuf} for any body it cannot turn into a JSON object:
 * wrong magic, truncated or malformed protobuf, an apiVersion/kind without a schema here, a
 * non-empty contentEncoding, or embedded JSON / times that cannot be represented. The message is
 * a human sentence fit for a 400/415 Status; nothing else is thrown for bad input.
 */
export class ProtobufDecodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtobufDecodeError';
  }
}
