import type { Deployment } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { Time } from '../../components/Time';
import { describeSchedule } from './schedules';
import { fieldsOf } from './schemaFields';

export function Schedules({ deployment }: { deployment: Deployment }) {
  if (deployment.schedules.length === 0) {
    return (
      <EmptyState title="No schedules: this deployment runs when triggered.">
        Add one under <code>schedules:</code> in <code>baton.yaml</code> and run <code>baton deploy</code> again.
      </EmptyState>
    );
  }
  return (
    <div class="table-wrap">
      <table class="table" data-testid="schedules-table">
        <thead>
          <tr>
            <th>Schedule</th>
            <th>Active</th>
            <th>Next run</th>
          </tr>
        </thead>
        <tbody>
          {deployment.schedules.map((s) => (
            <tr key={s.id}>
              <td class="mono small">{describeSchedule(s.schedule)}</td>
              <td>{s.active ? 'Yes' : <span class="muted">No</span>}</td>
              <td>{deployment.paused ? <span class="muted">Paused</span> : <Time iso={s.next_fire_time} empty="Never" />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The flow's parameters: type, whether required, and the value a run gets if it gives none. */
export function Parameters({ deployment }: { deployment: Deployment }) {
  const fields = fieldsOf(deployment.parameter_openapi_schema);
  if (!fields || fields.length === 0) {
    const given = Object.keys(deployment.parameters).length > 0;
    return given ? <pre class="code">{JSON.stringify(deployment.parameters, null, 2)}</pre> : <p class="muted">This flow takes no parameters.</p>;
  }
  return (
    <div class="table-wrap">
      <table class="table" data-testid="parameters-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Default</th>
            <th class="hide-sm">Description</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => {
            const fromDeployment = f.name in deployment.parameters;
            const value = fromDeployment ? deployment.parameters[f.name] : f.default;
            return (
              <tr key={f.name}>
                <td class="mono">
                  {f.name}
                  {f.required && <span class="required" title="required"> *</span>}
                </td>
                <td class="small">{f.typeLabel}</td>
                <td class="mono small">
                  {fromDeployment || f.hasDefault ? JSON.stringify(value) : <span class="muted">{f.required ? 'required' : '—'}</span>}
                  {fromDeployment && <span class="muted"> (deployment)</span>}
                </td>
                <td class="small hide-sm">{f.description ?? <span class="muted">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
