# An équipement belongs to one of the convention's signatory collectivités (a commune or an EPCI):
# the field, unused until now and limited to communes, is renamed and opened to any collectivité.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conventions", "0030_nord_action_grid"),
    ]

    operations = [
        migrations.RenameField(model_name="equipment", old_name="commune", new_name="collectivite"),
        migrations.RenameField(model_name="historicalequipment", old_name="commune", new_name="collectivite"),
        migrations.AlterField(
            model_name="equipment",
            name="collectivite",
            field=models.ForeignKey(
                blank=True,
                help_text="L'annexe des équipements fait un tableau par collectivité signataire.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to="conventions.collectivite",
                verbose_name="collectivité signataire",
            ),
        ),
        migrations.AlterField(
            model_name="historicalequipment",
            name="collectivite",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="L'annexe des équipements fait un tableau par collectivité signataire.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="conventions.collectivite",
                verbose_name="collectivité signataire",
            ),
        ),
    ]
