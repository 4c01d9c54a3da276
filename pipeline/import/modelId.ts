const HUB_URL = /^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co)\/(.*)$/i;

/** Path segments after `org/name` in a Hub URL (`…/tree/main`), and after a legacy name. */
const REPO_PAGES = new Set(['tree', 'blob', 'resolve', 'raw', 'commit', 'commits', 'discussions', 'settings', 'edit']);

/**
 * A model id as trackers write it: `org/name`, a legacy `name`, or a Hub URL
 * (`https://huggingface.co/org/name`, with or without scheme, `www.`, `hf.co`, a trailing slash,
 * `/tree/main`, a query or a fragment), reduced to `org/name`. Returns the id, or a reason when the
 * URL points at something that is not a model (a dataset, a space).
 */
export function normaliseModelId(text: string): { id: string } | { reason: string } {
  const s = text.trim();
  const m = HUB_URL.exec(s);
  if (!m) return { id: s };
  const path = m[1]!.split(/[?#]/, 1)[0]!;
  let segments: string[];
  try {
    segments = path.split('/').filter((x) => x.length > 0).map((x) => decodeURIComponent(x));
  } catch {
    return { reason: `not a model URL: ${JSON.stringify(s)}` };
  }
  const [first, second] = segments;
  if (first === undefined || first === 'datasets' || first === 'spaces' || first === 'api') {
    return { reason: `not a model URL: ${JSON.stringify(s)}` };
  }
  return { id: second === undefined || REPO_PAGES.has(second) ? first : `${first}/${second}` };
}
