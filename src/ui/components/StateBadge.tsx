import { stateLabel } from '../format/states';

/** A run's state, coloured by its type (the name may be a sub-state such as Late or Retrying). */
export function StateBadge({ type, name }: { type: string | null; name?: string | null }) {
  if (!type) return <span class="badge">No state</span>;
  return (
    <span class={`badge state state-${type.toLowerCase()}`} data-state-type={type}>
      {name || stateLabel(type)}
    </span>
  );
}
