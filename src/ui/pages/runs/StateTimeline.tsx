import type { State } from '../../api/types';
import { StateBadge } from '../../components/StateBadge';
import { Time } from '../../components/Time';
import { isTerminal } from '../../format/states';
import { clockTime, duration, parseTime } from '../../format/time';
import { useNow } from '../../hooks/useNow';

/** Every state the run went through, with how long it stayed in each. */
export function StateTimeline({ states }: { states: State[] }) {
  const now = useNow();
  return (
    <ol class="timeline" data-testid="state-timeline">
      {states.map((state, i) => {
        const at = parseTime(state.timestamp) ?? now;
        const next = states[i + 1];
        const until = next ? (parseTime(next.timestamp) ?? now) : null;
        const last = next === undefined;
        return (
          <li key={state.id} class="timeline-item" data-state-type={state.type}>
            <span class={`timeline-dot state-${state.type.toLowerCase()}`} aria-hidden="true" />
            <div class="timeline-body">
              <div class="timeline-head">
                <StateBadge type={state.type} name={state.name} />
                <span class="mono small" title={state.timestamp}>
                  {clockTime(at)}
                </span>
                <span class="small muted">
                  <Time iso={state.timestamp} />
                </span>
                <span class="small muted timeline-duration">
                  {until !== null
                    ? `for ${duration((until - at) / 1000)}`
                    : last && !isTerminal(state.type)
                      ? `for ${duration((now - at) / 1000)} so far`
                      : null}
                </span>
              </div>
              {state.message && <div class="timeline-message">{state.message}</div>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
