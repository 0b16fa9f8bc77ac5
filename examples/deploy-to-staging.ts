/**
 * deploy_to_staging: a linear chain, build → push → deploy, each step taking the previous one's typed outputs.
 *
 *   npx weave run examples/deploy-to-staging.ts [--var workDir=... --var image=myapp:1.1.0 --var replicas=3]
 *
 * Real, on this machine (under <workDir>, default .weave/examples/deploy-to-staging): a sample Node app is written to
 * app/ on the first run, packed into an image archive by `tar` (node:zlib where there is no tar), named by its
 * sha256, copied, unpacked and smoke-tested by running it in a child Node process.
 * Simulated locally: Docker's registry is the directory registry/ (blobs by digest, tag files) and the Kubernetes
 * staging cluster is the directory staging/ (one folder per release, a Deployment manifest, a `current` pointer).
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import { NonRetryableError, tool, workflow } from "toolweave";
import { listFiles, packDirectory, runCommand, safeName, sha256, sha256File, unpackArchive, writeJson } from "./support/files.js";

const imageName = z.string().regex(/^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9._-]+$/, "expected an image as name:tag");
const splitImage = (image: string) => ({ name: image.slice(0, image.lastIndexOf(":")), tag: image.slice(image.lastIndexOf(":") + 1) });

const SERVER = `import { readFileSync } from "node:fs";
const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
if (process.argv.includes("--check")) console.log(JSON.stringify({ name: pkg.name, version: pkg.version }));
else console.log(pkg.name + " " + pkg.version + " would listen here");
`;

/** The app's source, written on the first run only, so later runs build whatever the user changed. */
async function ensureSampleApp(appDir: string, image: string): Promise<void> {
  if (existsSync(join(appDir, "server.mjs"))) return;
  const { name, tag } = splitImage(image);
  await writeJson(join(appDir, "package.json"), { name: safeName(name), version: tag, type: "module" });
  await writeFile(join(appDir, "server.mjs"), SERVER);
}

export const dockerBuild = tool("docker_build", {
  description:
    "Simulates `docker build`: packs <workDir>/app (a sample Node app, written on the first run) into an image archive with tar (or node:zlib) and names it by its sha256.",
  input: z.object({ workDir: z.string(), image: imageName }),
  output: z.object({
    imageId: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    archive: z.string(),
    format: z.enum(["tar.gz", "files.json.gz"]),
    sizeBytes: z.number().int().positive(),
    files: z.number().int().positive(),
  }),
  run: async ({ workDir, image }) => {
    const appDir = join(resolve(workDir), "app");
    await ensureSampleApp(appDir, image);
    const { archive, format } = await packDirectory(appDir, join(resolve(workDir), "build", safeName(image)));
    const bytes = await readFile(archive);
    return { imageId: `sha256:${sha256(bytes)}`, archive, format, sizeBytes: bytes.length, files: (await listFiles(appDir)).length };
  },
});

export const dockerPush = tool("docker_push", {
  description:
    "Simulates `docker push`: checks the archive's digest, then copies it into the registry directory <workDir>/registry under its digest and writes the tag.",
  input: z.object({ workDir: z.string(), image: imageName, imageId: z.string(), archive: z.string() }),
  output: z.object({ ref: z.string(), blobPath: z.string(), tagPath: z.string() }),
  run: async ({ workDir, image, imageId, archive }) => {
    const digest = `sha256:${await sha256File(archive)}`;
    if (digest !== imageId)
      throw new NonRetryableError(`${archive} has digest ${digest}, not ${imageId}: the image changed after the build`);
    const { name, tag } = splitImage(image);
    const repository = join(resolve(workDir), "registry", safeName(name));
    const blobPath = join(repository, "blobs", `${digest.slice(7)}${archive.endsWith(".tar.gz") ? ".tar.gz" : ".files.json.gz"}`);
    const tagPath = join(repository, "tags", tag);
    await mkdir(join(repository, "blobs"), { recursive: true });
    await mkdir(join(repository, "tags"), { recursive: true });
    await copyFile(archive, blobPath);
    await writeFile(tagPath, `${imageId}\n`);
    return { ref: `registry.local/${name}@${imageId}`, blobPath, tagPath };
  },
});

export const kubectlApply = tool("kubectl_apply", {
  description:
    "Simulates `kubectl apply` to staging: unpacks the pushed image into <workDir>/staging/releases/<digest>, writes a Deployment manifest, runs the app's --check in a child Node process and points staging/current at the release.",
  input: z.object({ workDir: z.string(), ref: z.string(), blobPath: z.string(), replicas: z.number().int().min(1) }),
  output: z.object({
    releaseDir: z.string(),
    manifestPath: z.string(),
    appName: z.string(),
    appVersion: z.string(),
    replicas: z.number().int(),
  }),
  run: async ({ workDir, ref, blobPath, replicas }, { signal }) => {
    const stagingDir = join(resolve(workDir), "staging");
    const releaseDir = join(stagingDir, "releases", ref.slice(-12));
    await rm(releaseDir, { recursive: true, force: true });
    await unpackArchive(blobPath, releaseDir);
    const check = JSON.parse(await runCommand(process.execPath, ["server.mjs", "--check"], { cwd: releaseDir, signal })) as {
      name: string;
      version: string;
    };
    const manifestPath = join(releaseDir, "deployment.json");
    await writeJson(manifestPath, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: check.name, namespace: "staging" },
      spec: { replicas, template: { spec: { containers: [{ name: check.name, image: ref }] } } },
    });
    await writeFile(join(stagingDir, "current"), `${releaseDir}\n`);
    return { releaseDir, manifestPath, appName: check.name, appVersion: check.version, replicas };
  },
});

export const deployToStaging = workflow(
  "deploy_to_staging",
  {
    description: "Deploy application to staging environment",
    category: "deployment",
    tags: ["docker", "k8s"],
    input: z.object({
      workDir: z.string().default(".weave/examples/deploy-to-staging"),
      image: imageName.default("myapp:1.0.0"),
      replicas: z.number().int().min(1).default(2),
    }),
  },
  ({ input, step }) => {
    const build = step("build")
      .tool(dockerBuild)
      .with({ workDir: input.workDir, image: input.image })
      .describe("Pack the app into an image archive named by its digest");
    const push = step("push")
      .tool(dockerPush)
      .with({ workDir: input.workDir, image: input.image, imageId: build.out.imageId, archive: build.out.archive });
    const deploy = step("deploy")
      .tool(kubectlApply)
      .with({ workDir: input.workDir, ref: push.out.ref, blobPath: push.out.blobPath, replicas: input.replicas })
      .timeout(30_000)
      .describe("Unpack the pushed image as a staging release, smoke-test it, make it current");
    return { imageId: build.out.imageId, ref: push.out.ref, releaseDir: deploy.out.releaseDir, appVersion: deploy.out.appVersion };
  },
);
