/**
 * Why a zip member or a directory entry holds no tweet data, or null when it may. These
 * are the files macOS and zip tools add beside the data; reading them as tweets would
 * fail the file or fill the reject file with binary noise.
 */
export function notTweetData(name: string): string | null {
  if (name.endsWith("/")) return "a directory entry";
  const parts = name.split("/");
  if (parts.includes("__MACOSX")) return "macOS resource data (__MACOSX/), not tweets";
  const base = parts[parts.length - 1] ?? "";
  if (base.startsWith("._")) return "macOS metadata (AppleDouble ._ file), not tweets";
  if (base === ".DS_Store") return "macOS folder settings (.DS_Store), not tweets";
  return null;
}
