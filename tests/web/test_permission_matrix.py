"""The permission matrix: every URL pattern of the project × the demo's roles × the states of what it
is about, each with its expected status written down here.

A new URL pattern without its rows fails `test_every_url_pattern_has_its_rows`, so no view is added
without someone deciding who may reach it. A row is (method, URL arguments, POST body, expected): the
arguments name objects of `matrix_support.build_world` by `@label` (evaluations of unit_a1 in each
state, the year's records, desk jobs and spot-checks, admin objects); the body is a dict, "edit" (the
edit page's own form), "plan" (the record's edit form) or None (version, reason and confirmation).
The expected outcome has one status per role, in the order of ROLES; `login` is a redirect to a login
page. Every request's writes are rolled back, so each row sees the same world.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse

from jixiao.web.evaluations.models import Evaluation
from jixiao.web.planning.models import StageRecord

from .conftest import World
from .matrix_support import ROLES, USER_OF, build_world, edit_body, outcome, pattern_names, planning_body, request

Row = tuple[str, dict[str, Any], dict[str, Any] | str | None, str]

#         preparer unit_head department finance admin outsider anonymous
MATRIX: dict[str, list[Row]] = {
    'login': [
        ('GET', {}, None, '302   302   302   302   302   302   200'),
        ('POST', {}, {'username': 'prep_a1', 'password': 'wrong'}, '302   302   302   302   302   302   200'),
    ],
    'logout': [
        ('GET', {}, None, '405   405   405   405   405   405   405'),
        ('POST', {}, None, 'login login login login login login login'),
    ],
    'admin:index': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:login': [
        ('GET', {}, None, '200   200   200   200   302   200   200'),
    ],
    'admin:logout': [
        ('GET', {}, None, '302   302   302   302   405   302   302'),
        ('POST', {}, None, '302   302   302   302   login 302   302'),
    ],
    'admin:password_change': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:password_change_done': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:autocomplete': [
        ('GET', {}, None, 'login login login login 403   login login'),
    ],
    'admin:jsi18n': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:view_on_site': [
        ('GET', {'content_type_id': '@content_type', 'object_id': '@evaluation'}, None, 'login login login login 404   login login'),
    ],
    'admin:app_list': [
        ('GET', {'app_label': 'evaluations'}, None, 'login login login login 200   login login'),
    ],
    'admin:admin/(?P<url>.*)$': [
        ('GET', {'url': 'nothing/here/'}, None, 'login login login login 404   login login'),
    ],
    'admin:auth_user_password_change': [
        ('GET', {'id': '@user'}, None, 'login login login login 200   login login'),
    ],
    'admin:auth_group_changelist': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:auth_group_add': [
        ('GET', {}, None, 'login login login login 200   login login'),
        ('POST', {}, {}, 'login login login login 200   login login'),
    ],
    'admin:auth_group_change': [
        ('GET', {'object_id': '@group'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@group'}, {}, 'login login login login 200   login login'),
    ],
    'admin:auth_group_delete': [
        ('GET', {'object_id': '@group'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@group'}, {'post': 'yes'}, 'login login login login 302   login login'),
    ],
    'admin:auth_group_history': [
        ('GET', {'object_id': '@group'}, None, 'login login login login 200   login login'),
    ],
    'admin:admin/auth/group/<path:object_id>/': [
        ('GET', {'object_id': '@group'}, None, 'login login login login 302   login login'),
    ],
    'admin:auth_user_changelist': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:auth_user_add': [
        ('GET', {}, None, 'login login login login 200   login login'),
        ('POST', {}, {}, 'login login login login 200   login login'),
    ],
    'admin:auth_user_change': [
        ('GET', {'object_id': '@user'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@user'}, {}, 'login login login login 200   login login'),
    ],
    'admin:auth_user_delete': [
        ('GET', {'object_id': '@user'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@user'}, {'post': 'yes'}, 'login login login login 200   login login'),
    ],
    'admin:auth_user_history': [
        ('GET', {'object_id': '@user'}, None, 'login login login login 200   login login'),
    ],
    'admin:admin/auth/user/<path:object_id>/': [
        ('GET', {'object_id': '@user'}, None, 'login login login login 302   login login'),
    ],
    'admin:orgs_organisation_changelist': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:orgs_organisation_add': [
        ('GET', {}, None, 'login login login login 200   login login'),
        ('POST', {}, {}, 'login login login login 200   login login'),
    ],
    'admin:orgs_organisation_change': [
        ('GET', {'object_id': '@organisation'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@organisation'}, {}, 'login login login login 200   login login'),
    ],
    'admin:orgs_organisation_delete': [
        ('GET', {'object_id': '@organisation'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@organisation'}, {'post': 'yes'}, 'login login login login 200   login login'),
    ],
    'admin:orgs_organisation_history': [
        ('GET', {'object_id': '@organisation'}, None, 'login login login login 200   login login'),
    ],
    'admin:admin/orgs/organisation/<path:object_id>/': [
        ('GET', {'object_id': '@organisation'}, None, 'login login login login 302   login login'),
    ],
    'admin:orgs_membership_changelist': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:orgs_membership_add': [
        ('GET', {}, None, 'login login login login 200   login login'),
        ('POST', {}, {}, 'login login login login 200   login login'),
    ],
    'admin:orgs_membership_change': [
        ('GET', {'object_id': '@membership'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@membership'}, {}, 'login login login login 200   login login'),
    ],
    'admin:orgs_membership_delete': [
        ('GET', {'object_id': '@membership'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@membership'}, {'post': 'yes'}, 'login login login login 302   login login'),
    ],
    'admin:orgs_membership_history': [
        ('GET', {'object_id': '@membership'}, None, 'login login login login 200   login login'),
    ],
    'admin:admin/orgs/membership/<path:object_id>/': [
        ('GET', {'object_id': '@membership'}, None, 'login login login login 302   login login'),
    ],
    'admin:evaluations_evaluation_changelist': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:evaluations_evaluation_add': [
        ('GET', {}, None, 'login login login login 403   login login'),
        ('POST', {}, {}, 'login login login login 403   login login'),
    ],
    'admin:evaluations_evaluation_change': [
        ('GET', {'object_id': '@evaluation'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@evaluation'}, {}, 'login login login login 403   login login'),
    ],
    'admin:evaluations_evaluation_delete': [
        ('GET', {'object_id': '@evaluation'}, None, 'login login login login 403   login login'),
        ('POST', {'object_id': '@evaluation'}, {'post': 'yes'}, 'login login login login 403   login login'),
    ],
    'admin:evaluations_evaluation_history': [
        ('GET', {'object_id': '@evaluation'}, None, 'login login login login 200   login login'),
    ],
    'admin:admin/evaluations/evaluation/<path:object_id>/': [
        ('GET', {'object_id': '@evaluation'}, None, 'login login login login 302   login login'),
    ],
    'admin:evaluations_evaluationversion_changelist': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:evaluations_evaluationversion_add': [
        ('GET', {}, None, 'login login login login 403   login login'),
        ('POST', {}, {}, 'login login login login 403   login login'),
    ],
    'admin:evaluations_evaluationversion_change': [
        ('GET', {'object_id': '@evaluationversion'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@evaluationversion'}, {}, 'login login login login 403   login login'),
    ],
    'admin:evaluations_evaluationversion_delete': [
        ('GET', {'object_id': '@evaluationversion'}, None, 'login login login login 403   login login'),
        ('POST', {'object_id': '@evaluationversion'}, {'post': 'yes'}, 'login login login login 403   login login'),
    ],
    'admin:evaluations_evaluationversion_history': [
        ('GET', {'object_id': '@evaluationversion'}, None, 'login login login login 200   login login'),
    ],
    'admin:admin/evaluations/evaluationversion/<path:object_id>/': [
        ('GET', {'object_id': '@evaluationversion'}, None, 'login login login login 302   login login'),
    ],
    'admin:evaluations_comment_changelist': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:evaluations_comment_add': [
        ('GET', {}, None, 'login login login login 403   login login'),
        ('POST', {}, {}, 'login login login login 403   login login'),
    ],
    'admin:evaluations_comment_change': [
        ('GET', {'object_id': '@comment'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@comment'}, {}, 'login login login login 403   login login'),
    ],
    'admin:evaluations_comment_delete': [
        ('GET', {'object_id': '@comment'}, None, 'login login login login 403   login login'),
        ('POST', {'object_id': '@comment'}, {'post': 'yes'}, 'login login login login 403   login login'),
    ],
    'admin:evaluations_comment_history': [
        ('GET', {'object_id': '@comment'}, None, 'login login login login 200   login login'),
    ],
    'admin:admin/evaluations/comment/<path:object_id>/': [
        ('GET', {'object_id': '@comment'}, None, 'login login login login 302   login login'),
    ],
    'admin:evaluations_auditentry_changelist': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:evaluations_auditentry_add': [
        ('GET', {}, None, 'login login login login 403   login login'),
        ('POST', {}, {}, 'login login login login 403   login login'),
    ],
    'admin:evaluations_auditentry_change': [
        ('GET', {'object_id': '@auditentry'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@auditentry'}, {}, 'login login login login 403   login login'),
    ],
    'admin:evaluations_auditentry_delete': [
        ('GET', {'object_id': '@auditentry'}, None, 'login login login login 403   login login'),
        ('POST', {'object_id': '@auditentry'}, {'post': 'yes'}, 'login login login login 403   login login'),
    ],
    'admin:evaluations_auditentry_history': [
        ('GET', {'object_id': '@auditentry'}, None, 'login login login login 200   login login'),
    ],
    'admin:admin/evaluations/auditentry/<path:object_id>/': [
        ('GET', {'object_id': '@auditentry'}, None, 'login login login login 302   login login'),
    ],
    'admin:evaluations_yearsetting_changelist': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:evaluations_yearsetting_add': [
        ('GET', {}, None, 'login login login login 200   login login'),
        ('POST', {}, {}, 'login login login login 200   login login'),
    ],
    'admin:evaluations_yearsetting_change': [
        ('GET', {'object_id': '@yearsetting'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@yearsetting'}, {}, 'login login login login 200   login login'),
    ],
    'admin:evaluations_yearsetting_delete': [
        ('GET', {'object_id': '@yearsetting'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@yearsetting'}, {'post': 'yes'}, 'login login login login 302   login login'),
    ],
    'admin:evaluations_yearsetting_history': [
        ('GET', {'object_id': '@yearsetting'}, None, 'login login login login 200   login login'),
    ],
    'admin:admin/evaluations/yearsetting/<path:object_id>/': [
        ('GET', {'object_id': '@yearsetting'}, None, 'login login login login 302   login login'),
    ],
    'admin:django_tasks_database_dbtaskresult_changelist': [
        ('GET', {}, None, 'login login login login 200   login login'),
    ],
    'admin:django_tasks_database_dbtaskresult_add': [
        ('GET', {}, None, 'login login login login 403   login login'),
        ('POST', {}, {}, 'login login login login 403   login login'),
    ],
    'admin:django_tasks_database_dbtaskresult_change': [
        ('GET', {'object_id': '@dbtaskresult'}, None, 'login login login login 200   login login'),
        ('POST', {'object_id': '@dbtaskresult'}, {}, 'login login login login 403   login login'),
    ],
    'admin:django_tasks_database_dbtaskresult_delete': [
        ('GET', {'object_id': '@dbtaskresult'}, None, 'login login login login 403   login login'),
        ('POST', {'object_id': '@dbtaskresult'}, {'post': 'yes'}, 'login login login login 403   login login'),
    ],
    'admin:django_tasks_database_dbtaskresult_history': [
        ('GET', {'object_id': '@dbtaskresult'}, None, 'login login login login 200   login login'),
    ],
    'admin:admin/django_tasks_database/dbtaskresult/<path:object_id>/': [
        ('GET', {'object_id': '@dbtaskresult'}, None, 'login login login login 302   login login'),
    ],
    'planning:home': [
        ('GET', {}, None, '200   200   200   200   200   200   login'),
    ],
    'planning:todo': [
        ('GET', {}, None, '200   200   200   200   200   200   login'),
        ('GET', {'?': {'b': 'overdue'}}, None, '200   200   200   200   200   200   login'),
    ],
    'planning:task_new': [
        ('GET', {}, None, '403   403   200   200   403   403   login'),
        ('POST', {}, {'scope': '@finance_org', 'kind': 'targets', 'year': '2034', 'deadline': '2033-12-31'}, '403   403   404   302   403   403   login'),
        ('POST', {}, {'scope': '@finance_org', 'kind': 'monitoring', 'year': '2034', 'deadline': '2033-12-31'}, '403   403   404   400   403   403   login'),
    ],
    'planning:targets_new': [
        ('GET', {}, None, '200   200   200   200   200   200   login'),
        ('POST', {}, {'unit': '@unit_a1', 'year': '2040'}, '302   404   404   404   404   404   login'),
    ],
    'planning:record': [
        ('GET', {'pk': '@t.draft'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@t.pending'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@t.locked'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@m.draft'}, None, '200   200   200   200   200   404   login'),
    ],
    'planning:edit': [
        ('GET', {'pk': '@t.draft'}, None, '200   403   403   403   403   404   login'),
        ('POST', {'pk': '@t.draft'}, 'plan', '302   403   403   403   403   404   login'),
        ('GET', {'pk': '@t.locked'}, None, '403   403   403   403   403   404   login'),
        ('POST', {'pk': '@t.locked'}, 'plan', '403   403   403   403   403   404   login'),
        ('GET', {'pk': '@m.draft'}, None, '200   403   403   403   403   404   login'),
        ('POST', {'pk': '@m.draft'}, 'plan', '400   403   403   403   403   404   login'),
        ('GET', {'pk': '@m.pending'}, None, '403   403   403   403   403   404   login'),
    ],
    'planning:upload': [  # no file sent: the preparer is asked for one; a declaration takes no 监控表
        ('GET', {'pk': '@m.draft'}, None, '405   405   405   405   405   405   login'),
        ('POST', {'pk': '@m.draft'}, None, '400   403   403   403   403   404   login'),
        ('POST', {'pk': '@t.draft'}, None, '404   404   404   404   404   404   login'),
        ('POST', {'pk': '@m.pending'}, None, '403   403   403   403   403   404   login'),  # submitted: withdraw first
    ],
    'planning:action': [
        ('POST', {'pk': '@t.draft', 'action': 'submit'}, None, '302   403   403   403   403   404   login'),
        ('POST', {'pk': '@t.pending', 'action': 'approve'}, None, '403   302   403   403   403   404   login'),
        ('POST', {'pk': '@t.pending', 'action': 'return'}, {'reason': '矩阵'}, '403   302   403   403   403   404   login'),
        ('POST', {'pk': '@t.pending', 'action': 'withdraw'}, None, '302   403   403   403   403   404   login'),
        ('POST', {'pk': '@m.pending', 'action': 'approve'}, None, '403   302   403   403   403   404   login'),
        ('POST', {'pk': '@m.pending', 'action': 'return'}, {'reason': '矩阵'}, '403   302   403   403   403   404   login'),
    ],
    'planning:adjust': [
        ('POST', {'pk': '@t.locked'}, {'code': '@code', 'target': '50', 'reason': '矩阵'}, '302   403   403   403   403   404   login'),
    ],
    'planning:decide': [
        ('POST', {'pk': '@t.locked', 'n': 0, 'decision': 'approve'}, None, '403   403   403   302   403   404   login'),
    ],
    'planning:evaluate': [
        ('POST', {'pk': '@t.locked'}, None, '302   403   403   403   403   404   login'),
    ],
    'planning:next_year': [
        ('POST', {'pk': '@t.locked'}, None, '302   403   403   403   403   404   login'),
    ],
    'planning:download': [
        ('GET', {'pk': '@t.draft', 'fmt': 'yaml'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@t.locked', 'fmt': 'json'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@t.locked', 'fmt': 'exe'}, None, '404   404   404   404   404   404   login'),
    ],
    'planning:round_new': [
        ('GET', {}, None, '403   403   200   200   403   403   login'),
        ('POST', {}, {'scope': '@finance_org', 'year': '2032', 'cut_off': '2032-09-30', 'deadline': '2032-10-15'}, '403   403   404   302   403   403   login'),
    ],
    'planning:round': [
        ('GET', {'pk': '@round'}, None, '200   200   200   200   200   404   login'),
    ],
    'planning:rectification_new': [
        ('GET', {}, None, '403   403   200   200   403   403   login'),
        ('POST', {}, {'unit': '@unit_a1', 'year': '2024', 'problem': '矩阵', 'deadline': '2033-01-31'}, '403   403   302   302   403   403   login'),
    ],
    'planning:rectification_import': [  # no file sent: a reviewer is asked for one
        ('GET', {}, None, '405   405   405   405   405   405   login'),
        ('POST', {}, {}, '403   403   400   400   403   403   login'),
    ],
    'planning:rectification': [
        ('GET', {'pk': '@rect'}, None, '200   200   200   200   200   404   login'),
        ('POST', {'pk': '@rect'}, {'action': 'plan', 'text': '矩阵'}, '302   403   403   403   403   404   login'),
        ('POST', {'pk': '@rect.feedback'}, {'action': 'close', 'text': '矩阵'}, '403   403   302   302   403   404   login'),
        ('POST', {'pk': '@rect.feedback'}, {'action': 'return', 'text': '矩阵'}, '403   403   302   302   403   404   login'),
    ],
    'planning:rectification_download': [
        ('GET', {'fmt': 'yaml'}, None, '200   200   200   200   200   400   login'),
        ('POST', {'fmt': 'yaml'}, {}, '405   405   405   405   405   405   login'),
    ],
    'planning:notifications': [
        ('GET', {}, None, '200   200   200   200   200   200   login'),
        ('POST', {}, None, '302   302   302   302   302   302   login'),
    ],
    'planning:library': [
        ('GET', {}, None, '200   200   200   200   200   200   login'),
    ],
    'planning:library_new': [
        ('GET', {}, None, '403   403   200   200   403   403   login'),
    ],
    'planning:library_entry': [
        ('GET', {'pk': 999999}, None, '403   403   404   404   403   403   login'),
    ],
    'planning:library_search': [
        ('GET', {}, None, '200   200   200   200   200   200   login'),
    ],
    'desk:dashboard': [
        ('GET', {}, None, '403   403   200   200   200   403   login'),
    ],
    'desk:dashboard-export': [
        ('GET', {}, None, '403   403   200   200   200   403   login'),
    ],
    'desk:anomalies': [
        ('GET', {}, None, '403   403   200   200   200   403   login'),
    ],
    'desk:anomalies-export': [
        ('GET', {}, None, '403   403   200   200   200   403   login'),
    ],
    'desk:yoy': [
        ('GET', {}, None, '403   403   200   200   200   403   login'),
    ],
    'desk:spotchecks': [
        ('GET', {}, None, '403   403   200   200   200   403   login'),
    ],
    'desk:jobs': [
        ('GET', {}, None, '403   403   200   200   200   403   login'),
    ],
    'desk:job-rows': [
        ('GET', {}, None, '403   403   200   200   200   403   login'),
    ],
    'desk:batch-new': [
        ('GET', {}, None, '403   403   200   200   200   403   login'),
        ('POST', {}, {'year': '2024'}, '403   403   400   400   400   403   login'),
    ],
    'desk:yoy-export': [
        ('GET', {'?': {'unit': '@unit_a1'}}, None, '403   403   200   200   200   403   login'),
    ],
    'desk:spotcheck-new': [
        ('GET', {}, None, '405   405   405   405   405   405   login'),
        ('POST', {}, {'year': '2024', 'size': '1', 'seed': '8'}, '403   403   302   302   302   403   login'),
    ],
    'desk:spotcheck': [
        ('GET', {'pk': '@spotcheck'}, None, '403   403   404   200   200   403   login'),
    ],
    'desk:spotcheck-export': [
        ('GET', {'pk': '@spotcheck'}, None, '403   403   404   200   200   403   login'),
    ],
    'desk:spotcheck-item': [
        ('GET', {'pk': '@spotcheck.item'}, None, '403   403   404   200   200   403   login'),
        ('POST', {'pk': '@spotcheck.item'}, {'note': '矩阵'}, '403   403   404   400   400   403   login'),
    ],
    'desk:job-start': [
        ('POST', {'kind': 'summary'}, {'year': '2024', 'format': 'xlsx'}, '403   403   403   302   302   403   login'),
    ],
    'desk:job': [
        ('GET', {'pk': '@job'}, None, '403   403   404   200   200   403   login'),
    ],
    'desk:job-progress': [
        ('GET', {'pk': '@job'}, None, '403   403   404   200   200   403   login'),
    ],
    'desk:job-retry': [
        ('POST', {'pk': '@job.failed'}, None, '403   403   404   302   302   403   login'),
    ],
    'desk:job-file': [
        ('GET', {'pk': '@job'}, None, '403   403   404   200   200   403   login'),
    ],
    'desk:batch': [
        ('GET', {'pk': '@batch'}, None, '403   403   200   200   200   403   login'),
    ],
    'desk:batch-confirm': [
        ('POST', {'pk': '@batch', 'doc': '@batch.doc'}, {'unit': '@unit_a1'}, '403   403   302   302   302   403   login'),
    ],
    'evaluations:list': [
        ('GET', {}, None, '200   200   200   200   200   200   login'),
    ],
    'evaluations:new': [
        ('GET', {}, None, '200   403   403   403   403   200   login'),
        ('POST', {}, {'unit': '@unit_a1', 'year': '2041'}, '302   403   403   403   403   400   login'),
    ],
    'evaluations:trash': [
        ('GET', {}, None, '403   403   403   403   200   403   login'),
        ('POST', {}, {'pk': '@e.trash'}, '403   403   403   403   302   403   login'),
    ],
    'evaluations:detail': [
        ('GET', {'pk': '@e.draft'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@e.unit'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@e.department'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@e.finance'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@e.approved'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@e.trash'}, None, '404   404   404   404   404   404   login'),
    ],
    'evaluations:edit': [
        ('GET', {'pk': '@e.draft'}, None, '200   403   403   403   403   404   login'),
        ('GET', {'pk': '@e.unit'}, None, '403   403   403   403   403   404   login'),
        ('GET', {'pk': '@e.department'}, None, '403   403   403   403   403   404   login'),
        ('GET', {'pk': '@e.finance'}, None, '403   403   403   403   403   404   login'),
        ('GET', {'pk': '@e.approved'}, None, '403   403   403   403   403   404   login'),
        ('GET', {'pk': '@e.trash'}, None, '404   404   404   404   404   404   login'),
        ('POST', {'pk': '@e.draft'}, 'edit', '302   403   403   403   403   404   login'),
        ('POST', {'pk': '@e.unit'}, 'edit', '403   403   403   403   403   404   login'),
        ('POST', {'pk': '@e.approved'}, 'edit', '403   403   403   403   403   404   login'),
    ],
    'evaluations:preview': [
        ('POST', {'pk': '@e.draft'}, 'edit', '200   403   403   403   403   404   login'),
    ],
    'evaluations:row': [
        ('GET', {'pk': '@e.draft', 'table': 'ind'}, None, '200   403   403   403   403   404   login'),
        ('GET', {'pk': '@e.approved', 'table': 'ind'}, None, '403   403   403   403   403   404   login'),
    ],
    'evaluations:import': [
        ('GET', {'pk': '@e.draft'}, None, '405   405   405   405   405   405   login'),
        ('POST', {'pk': '@e.draft'}, None, '400   403   403   403   403   404   login'),
    ],
    'evaluations:import-confirm': [
        ('POST', {'pk': '@e.draft'}, {'token': 'x'}, '302   403   403   403   403   404   login'),
    ],
    'evaluations:action': [
        ('POST', {'pk': '@e.draft', 'action': 'submit'}, None, '302   403   403   403   403   404   login'),
        ('POST', {'pk': '@e.unit', 'action': 'withdraw'}, None, '302   403   403   403   403   404   login'),
        ('POST', {'pk': '@e.unit', 'action': 'approve'}, None, '403   302   403   403   403   404   login'),
        ('POST', {'pk': '@e.unit', 'action': 'return'}, None, '403   302   403   403   403   404   login'),
        ('POST', {'pk': '@e.department', 'action': 'approve'}, None, '403   403   302   403   403   404   login'),
        ('POST', {'pk': '@e.department', 'action': 'return'}, None, '403   403   302   403   403   404   login'),
        ('POST', {'pk': '@e.finance', 'action': 'approve'}, None, '403   403   403   302   403   404   login'),
        ('POST', {'pk': '@e.approved', 'action': 'approve'}, None, '403   403   403   403   403   404   login'),
        ('POST', {'pk': '@e.approved', 'action': 'withdraw'}, None, '403   403   403   403   403   404   login'),
        ('POST', {'pk': '@e.trash', 'action': 'submit'}, None, '404   404   404   404   404   404   login'),
        ('POST', {'pk': '@e.unit', 'action': 'approve'}, {'version': '0'}, '403   409   403   403   403   404   login'),
        ('GET', {'pk': '@e.unit', 'action': 'approve'}, None, '405   405   405   405   405   405   login'),
    ],
    'evaluations:comment': [
        ('POST', {'pk': '@e.draft'}, None, '302   302   302   302   403   404   login'),
        ('POST', {'pk': '@e.approved'}, None, '302   302   302   302   403   404   login'),
        ('POST', {'pk': '@e.trash'}, None, '404   404   404   404   404   404   login'),
    ],
    'evaluations:delete': [
        ('POST', {'pk': '@e.draft'}, None, '302   403   403   403   403   404   login'),
        ('POST', {'pk': '@e.unit'}, None, '403   403   403   403   403   404   login'),
        ('POST', {'pk': '@e.approved'}, None, '403   403   403   403   403   404   login'),
    ],
    'evaluations:history': [
        ('GET', {'pk': '@e.draft'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@e.approved'}, None, '200   200   200   200   200   404   login'),
    ],
    'evaluations:download': [
        ('GET', {'pk': '@e.draft', 'fmt': 'yaml'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@e.unit', 'fmt': 'json'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@e.approved', 'fmt': 'yaml'}, None, '200   200   200   200   200   404   login'),
        ('GET', {'pk': '@e.draft', 'fmt': 'exe'}, None, '404   404   404   404   404   404   login'),
    ],
}


def test_every_url_pattern_has_its_rows() -> None:
    names = pattern_names()
    assert not names - set(MATRIX), f"URL patterns without rows in MATRIX: {sorted(names - set(MATRIX))}"
    assert not set(MATRIX) - names, f"rows for URL patterns that no longer exist: {sorted(set(MATRIX) - names)}"
    for name, rows in MATRIX.items():
        for row in rows:
            assert len(row[3].split()) == len(ROLES), (name, row)


def _resolve(value: Any, objects: dict[str, Any], world: World) -> Any:
    if not (isinstance(value, str) and value.startswith("@")):
        return value
    label = value[1:]
    named = {"unit_a1": world.unit_a1, "finance_org": world.finance}
    target = named.get(label, objects.get(label))
    return target if isinstance(target, str) else target.pk


def _body(name: str, kwargs: dict[str, Any], body: Any, objects: dict[str, Any], world: World) -> dict[str, Any]:
    label = str(kwargs.get("pk", "@"))[1:]
    if body == "edit":
        return edit_body(objects, label)
    if body == "plan":
        return planning_body(objects, label)
    if isinstance(body, dict):
        return {key: _resolve(value, objects, world) for key, value in body.items()}
    plain: dict[str, Any] = {"reason": "矩阵测试", "text": "矩阵测试", "confirm": "1"}
    record = objects.get(label)
    if isinstance(record, Evaluation | StageRecord):
        version = type(record).objects.get(pk=record.pk).current_version
        plain.update(version=str(version), base_version=str(version))
    return plain


def _path(name: str, args: dict[str, Any]) -> str:
    """The URL of a pattern, by its name or (unnamed admin patterns) by its route."""
    route = name.split(":", 1)[-1]
    if "/" not in route:
        return reverse(name, kwargs=args)
    if "(?P<url>" in route:
        return "/admin/" + str(args["url"])
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(args[m.group(1)]), route)


def test_the_matrix(world: World, settings: Any, tmp_path: Path) -> None:
    """Every row for every role on one world; the failure lists every row that differs."""
    settings.JOBS_DIR = tmp_path / "jobs"
    objects = build_world(world, settings.JOBS_DIR)
    mismatches: list[str] = []
    for column, role in enumerate(ROLES):
        client = Client(raise_request_exception=False)  # a 500 is a status like any other here
        if role in USER_OF:
            client.force_login(world.users[USER_OF[role]])
        for name, rows in MATRIX.items():
            for method, kwargs, body, expected in rows:
                args = {key: _resolve(value, objects, world) for key, value in kwargs.items() if key != "?"}
                path = _path(name, args)
                if "?" in kwargs:
                    path += "?" + urlencode({key: _resolve(value, objects, world) for key, value in kwargs["?"].items()})
                got = outcome(request(client, method, path, _body(name, kwargs, body, objects, world)))
                tokens = expected.split()
                want = tokens[column] if len(tokens) == len(ROLES) else "?"
                if got != want:
                    mismatches.append(f"{role}: {method} {path} ({name} {kwargs}): expected {want}, got {got}")
    assert not mismatches, f"{len(mismatches)} rows differ from the matrix:\n" + "\n".join(mismatches)
