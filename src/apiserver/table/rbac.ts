/**
 * rbac.authorization.k8s.io binding tables (printers.go printRoleBinding, printClusterRoleBinding):
 *   rolebindings, clusterrolebindings  NAME ROLE AGE, wide USERS GROUPS SERVICEACCOUNTS
 * ROLE is `<Kind>/<name>` of roleRef; subjects are split by kind (service accounts as `namespace/name`) and joined
 * by ", ". Roles and ClusterRoles have no printer upstream and use the default table (see default-table.ts).
 */
import type { RoleBinding, Subject } from 'kubernetes-types/rbac/v1';
import { ageOf } from './age';
import { AGE, NAME, col, columns } from './columns';
import { DOC } from './descriptions';
import { arr, str } from './format';
import type { TablePrinter, TableColumnDefinition } from './types';

/** rbac.SubjectsStrings: users, groups, service accounts (kinds other than these three are not shown). */
export function subjectsStrings(subjects: unknown): [string[], string[], string[]] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of arr<Subject>(subjects)) {
    switch (s?.kind) {
      case 'ServiceAccount':
        sas.push(`${str(s.namespace)}/${str(s.name)}`);
        break;
      case 'User':
        users.push(str(s.name));
        break;
      case 'Group':
        groups.push(str(s.name));
        break;
    }
  }
  return [users, groups, sas];
}

function bindingPrinter(roleRefDoc: string, what: string): TablePrinter {
  const defs: TableColumnDefinition[] = [
    NAME,
    col('Role', 'string', roleRefDoc),
    AGE,
    col('Users', 'string', `Users in the ${what}`, 1),
    col('Groups', 'string', `Groups in the ${what}`, 1),
    col('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
  ];
  return {
    columns: columns(...defs),
    cells(obj, ctx) {
      const b = obj as unknown as RoleBinding;
      const [users, groups, sas] = subjectsStrings(b.subjects);
      return [
        str(b.metadata?.name),
        `${str(b.roleRef?.kind)}/${str(b.roleRef?.name)}`,
        ageOf(b, ctx.nowMs),
        users.join(', '),
        groups.join(', '),
        sas.join(', '),
      ];
    },
  };
}

export const roleBindingPrinter = bindingPrinter(DOC['RoleBinding.roleRef'], 'roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter(DOC['ClusterRoleBinding.roleRef'], 'clusterRoleBinding');
