/** Polls a condition every 5 ms for at most `limitMs`, for state a double updates in the background. */
export async function until(condition: () => boolean, limitMs = 1000): Promise<void> {
  for (let waited = 0; waited < limitMs && !condition(); waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error(`condition not reached within ${limitMs} ms`);
}
