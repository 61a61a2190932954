# Audit actions for exam overrides, accommodations and redrawn sitting papers.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0010_notification_name_change_decided"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("certificate.issued", "Certificate issued"),
                    ("certificate.revoked", "Certificate revoked"),
                    ("certificate.suspended", "Certificate suspended"),
                    ("certificate.reinstated", "Certificate reinstated"),
                    ("certificate.superseded", "Certificate reissued (superseded)"),
                    ("question.key_corrected", "Answer key corrected"),
                    ("question.regraded", "Regrade finished"),
                    ("mark.recorded", "Mark given"),
                    ("mark.adjudicated", "Mark adjudicated"),
                    ("membership.granted", "Role granted"),
                    ("membership.revoked", "Role withdrawn"),
                    ("api_key.created", "API key created"),
                    ("api_key.revoked", "API key revoked"),
                    ("api_key.rotated", "API key rotated"),
                    ("standard.published", "Standard published"),
                    ("accreditation.granted", "Accreditation granted"),
                    ("accreditation.suspended", "Accreditation suspended"),
                    ("accreditation.reinstated", "Accreditation reinstated"),
                    ("accreditation.withdrawn", "Accreditation withdrawn"),
                    ("exam.published", "Exam published"),
                    ("exam.unpublished", "Exam unpublished"),
                    ("roster.imported", "Roster imported"),
                    ("mfa.reset", "Second factor reset"),
                    ("sitting.time_added", "Sitting: time added for a candidate"),
                    ("sitting.released", "Sitting: start released"),
                    ("sitting.ended", "Sitting: ended"),
                    ("sitting.accommodation", "Sitting: accommodation set"),
                    ("sitting.papers_redrawn", "Sitting: papers redrawn"),
                    ("exam.override_set", "Exam: override set"),
                    ("exam.override_removed", "Exam: override removed"),
                    ("person.erased", "Personal data erased (pseudonymised)"),
                    ("profile.name_changed", "Name changed (request approved)"),
                    ("organization.student_signup", "Student sign-up settings changed"),
                ],
                db_index=True,
                max_length=40,
                verbose_name="action",
            ),
        ),
    ]
