import { equivalentCommand } from '../../../deploy/commandLine.js';
import type { CompleteSpec } from '../../../deploy/spec.js';
import { color, println } from '../../output.js';

/** After the wizard: the command that makes the same deployment without prompts, for CI (user-needs A15). */
export function printEquivalent(spec: CompleteSpec, label: string, saved: boolean): void {
  const { command, needsYaml } = equivalentCommand(spec);
  println();
  if (saved) {
    println('To deploy it again without prompts (in CI, for example), run:');
    println();
    println(`        ${color.cyan(`$ baton deploy -n '${label.replace(/'/g, "'\\''")}' --yes`)}`);
    if (needsYaml.length > 0) return;
    println();
    println('or, without baton.yaml:');
  } else {
    println(needsYaml.length > 0 ? `Without prompts (this leaves out ${needsYaml.join(', ')}, which need baton.yaml):` : 'To make the same deployment without prompts (in CI, for example), run:');
  }
  println();
  println(`        ${color.cyan(`$ ${command}`)}`);
}
