import type { Topic } from "../api/types";

/**
 * Up to `limit` topics to offer as one-click chips: those matching what was typed, or, before
 * anything is typed, a spread across categories (round-robin) rather than the first few A–Z.
 */
export function suggestTopics(topics: readonly Topic[], typed: string, limit: number): Topic[] {
  const query = typed.trim().toLowerCase();
  if (query) {
    const exact = topics.find((topic) => topic.title.toLowerCase() === query);
    if (exact) return [exact];
    const words = query.split(/\s+/);
    return topics
      .filter((topic) => {
        const haystack = `${topic.title} ${topic.slug} ${topic.category}`.toLowerCase();
        return words.every((word) => haystack.includes(word));
      })
      .slice(0, limit);
  }
  const byCategory = new Map<string, Topic[]>();
  for (const topic of topics) {
    byCategory.set(topic.category, [...(byCategory.get(topic.category) ?? []), topic]);
  }
  const queues = [...byCategory.values()];
  const picked: Topic[] = [];
  for (let round = 0; picked.length < limit && queues.some((queue) => queue.length > round); round++) {
    for (const queue of queues) {
      const topic = queue[round];
      if (topic && picked.length < limit) picked.push(topic);
    }
  }
  return picked;
}
