// Usage: what a page of a frontend does with the typed client. Checked by
// `tsc --noEmit` in CI: an operation or field that the schema drops fails here.
import { ApiError, run, type ClientOptions } from "./client.js";
import type { ArticleDetailQuery } from "./generated/operations.js";

type Block = NonNullable<NonNullable<ArticleDetailQuery["article"]>["body"]>[number];

/** One line per body block; unknown block types (added later) are skipped. */
export function outline(block: Block): string | null {
  switch (block.__typename) {
    case "BodyHeading":
      return `${"#".repeat(block.level)} ${block.heading}`;
    case "BodyParagraph":
      return block.text.html.replace(/<[^>]+>/g, "");
    case "BodyCallout":
      return `> ${block.leadIn} ${block.text.html.replace(/<[^>]+>/g, "")}`.trim();
    case "BodyImage":
      return block.image ? `[image: ${block.image.alt}]` : null;
    case "BodyVideo":
      return `[video: ${block.title}](${block.videoUrl})`;
    case "BodySpectrum":
      return block.stages.map((stage) => `${stage.name} (${stage.ledBy})`).join(" -> ");
    case "BodyComparisonTable":
      return block.table ? `[table: ${block.table.title}]` : null;
    case "BodyInlineComparisonTable":
      return `[table: ${block.title}]`;
    case "BodyCallToAction":
      return `[${block.buttonLabel}](${block.url ?? ""})`;
    case "BodyFeaturedTrainers":
      return block.trainers.map((trainer) => trainer.name).join(", ");
    default:
      return null;
  }
}

export async function printArticle(options: ClientOptions, slug: string): Promise<void> {
  try {
    const { article } = await run(options, "ArticleDetail", { slug });
    if (!article) {
      console.log(`no published article ${slug}`);
      return;
    }
    console.log(`${article.title}: ${article.subtitle}`);
    for (const block of article.body ?? []) {
      const line = outline(block);
      if (line) console.log(line);
    }
    const { trainers } = await run(options, "TrainerDirectory", {
      near: { latitude: 43.0731, longitude: -89.4012, radiusKm: 25 },
      order: "DISTANCE",
      limit: 5,
    });
    for (const trainer of trainers.items) {
      console.log(`${trainer.name}: ${trainer.distanceKm?.toFixed(1) ?? "?"} km`);
    }
  } catch (error) {
    if (error instanceof ApiError && error.codes.includes("INVALID_PREVIEW_TOKEN")) {
      console.log("This preview link has expired; reopen the preview from the admin.");
      return;
    }
    throw error;
  }
}
