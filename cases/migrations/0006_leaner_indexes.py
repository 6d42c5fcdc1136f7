"""Fewer indexes on the case tables, each one serving a query; every case written pays for each.

- The foreign-key indexes on case.unit, case.handler and party.case duplicate the leading column
  of the composites (unit, status, step), (handler, status, step) and uniq_party_index.
- case.case_no, case.step, party.id_number and decision.number are looked up by equality only
  (a substring search goes through the trigram indexes of 0004): a plain btree each, without the
  varchar_pattern_ops twin Django adds to db_index on PostgreSQL.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_review_detail'),
        ('catalog', '0001_initial'),
        ('orgs', '0002_role_traffic_reviewer'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='case_no',
            field=models.CharField(blank=True, max_length=60, verbose_name='立案编号'),
        ),
        migrations.AlterField(
            model_name='case',
            name='handler',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='handled_cases', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='case',
            name='step',
            field=models.CharField(max_length=30, verbose_name='当前环节'),
        ),
        migrations.AlterField(
            model_name='case',
            name='unit',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='orgs.unit'),
        ),
        migrations.AlterField(
            model_name='decision',
            name='number',
            field=models.CharField(max_length=60, verbose_name='决定书文号'),
        ),
        migrations.AlterField(
            model_name='party',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='parties', to='cases.case'),
        ),
        migrations.AlterField(
            model_name='party',
            name='id_number',
            field=models.CharField(blank=True, max_length=18, verbose_name='证件号码'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['case_no'], name='cases_case_case_no_05be8b_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['step'], name='cases_case_step_f7f8e8_idx'),
        ),
        migrations.AddIndex(
            model_name='decision',
            index=models.Index(fields=['number'], name='cases_decis_number_528ed0_idx'),
        ),
        migrations.AddIndex(
            model_name='party',
            index=models.Index(fields=['id_number'], name='cases_party_id_numb_b11302_idx'),
        ),
    ]
