import { describe, expect, it } from "vitest";
import { suggestTopics } from "../../src/setup/suggestions";

const topic = (slug: string, title: string, category: string) => ({ slug, title, category });
const topics = [
  topic("cpp", "C++", "engineering"),
  topic("go", "Go", "engineering"),
  topic("python", "Python", "engineering"),
  topic("sales", "Sales", "business"),
  topic("marketing", "Digital marketing", "business"),
  topic("eng-management", "Engineering management", "leadership"),
];

describe("suggestTopics", () => {
  it("spreads the first suggestions across categories", () => {
    expect(suggestTopics(topics, "", 4).map((t) => t.slug)).toEqual(["cpp", "sales", "eng-management", "go"]);
  });

  it("filters by every typed word", () => {
    expect(suggestTopics(topics, "market", 8).map((t) => t.slug)).toEqual(["marketing"]);
    expect(suggestTopics(topics, "eng man", 8).map((t) => t.slug)).toEqual(["eng-management"]);
    expect(suggestTopics(topics, "business", 8).map((t) => t.slug)).toEqual(["sales", "marketing"]);
  });

  it("shows only the chosen topic once it is picked", () => {
    expect(suggestTopics(topics, "python", 8).map((t) => t.slug)).toEqual(["python"]);
  });

  it("offers nothing for free text that matches no topic", () => {
    expect(suggestTopics(topics, "underwater basket weaving", 8)).toEqual([]);
  });
});
