// `prepare` runs on `npm install` in a clone (build dist/ from src/) and also when npm
// installs the package from a tarball or git; a packed tarball has no src/ and no compiler,
// and its dist/ is already built, so there is nothing to do.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
if (existsSync(join(root, "src"))) execSync("npm run build", { cwd: root, stdio: "inherit" });
