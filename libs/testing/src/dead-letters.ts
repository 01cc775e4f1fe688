/** The headers of a dead letter for a message no consumer could decode: where it was read, and why. */
export const undecodableDeadLetterHeaders = (topic: string, partition: number | string, offset: string | undefined) => ({
  'x-original-topic': topic,
  'x-original-partition': String(partition),
  'x-original-offset': offset,
  'x-error': expect.stringMatching(/^undecodable: /),
});
