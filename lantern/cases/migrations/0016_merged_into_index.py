# The merged reports a user sees through their cases, read from an index alone: a partial
# index over the merged reports only (a few in a hundred cases) with the id included.
# Through the foreign key's index the same read fetched every merged report's row: 107 ms
# at a million generated cases, 15 ms with this index (issue 17, bench/scale.py search).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0015_next_due"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(condition=models.Q(("merged_into__isnull", False)), fields=["merged_into"],
                               include=("id",), name="case_merged_into_idx"),
        ),
    ]
