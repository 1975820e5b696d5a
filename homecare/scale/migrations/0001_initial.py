import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("providers", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ProviderMonthPart",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField()),
                ("rows", models.JSONField(default=list)),
                ("carers", models.JSONField(default=list)),
                ("computed_at", models.DateTimeField()),
                (
                    "provider",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="providers.provider",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("month", "provider"), name="provider_month_part_once")
                ]
            },
        ),
    ]
