import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from './workflows-source.js';

// Prebuilds the workflow bundle for production workers (WORKFLOW_BUNDLE_PATH), so they start
// without webpack and run exactly the code that was built and tested.
const outFile = fileURLToPath(new URL('../../dist/workflow-bundle.js', import.meta.url));
const { code } = await bundleWorkflowCode({ workflowsPath });
await mkdir(fileURLToPath(new URL('../../dist/', import.meta.url)), { recursive: true });
await writeFile(outFile, code);
process.stdout.write(`workflow bundle written to ${outFile} (${(code.length / 1024).toFixed(0)} KiB)\n`);
