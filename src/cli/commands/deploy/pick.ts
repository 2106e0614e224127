import type { DeploymentConfig } from '../../../deploy/config/schema.js';
import { specFromYaml } from '../../../deploy/merge.js';
import type { Project } from '../../../deploy/project.js';
import { emptySpec, type DeploySpec } from '../../../deploy/spec.js';
import { loadPrompts } from './wizardPrompts.js';

const NEW = -1;

/** baton.yaml has several deployments and none was named: pick one, or start a new one. */
export async function pickSpec(project: Project): Promise<{ spec: DeploySpec; isNew: boolean }> {
  const p = await loadPrompts();
  const entries: readonly DeploymentConfig[] = project.config?.deployments ?? [];
  const width = Math.max('Name'.length, ...entries.map((d) => d.name.length)) + 3;
  const index = await p.select<number>({
    message: `Which deployment of ${project.file} would you like to deploy?`,
    choices: [
      ...entries.map((d, i) => ({ name: `${d.name.padEnd(width)}${d.entrypoint ?? '(no entrypoint)'}`, value: i, short: d.name })),
      new p.Separator(),
      { name: 'A new deployment (choose a flow)', value: NEW, short: 'new deployment' },
    ],
    pageSize: 15,
  });
  const entry = entries[index];
  if (index === NEW || !entry) {
    const spec = emptySpec(null);
    const pull = project.pullStepsOf(null);
    if (pull !== undefined) spec.pullSteps = pull;
    return { spec, isNew: true };
  }
  return { spec: specFromYaml(entry, index, project.pullStepsOf(index)), isNew: false };
}
