// Placeholder entry so the stack can synthesize; replaced by the real handler.
export const handler = async (): Promise<void> => {
  throw new Error('handlers/presign is not implemented yet');
};
