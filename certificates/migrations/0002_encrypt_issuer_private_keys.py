"""Issuer private keys are stored encrypted (certificates.key_encryption), no longer as PEM."""

from django.db import migrations, models


def encrypt_rows(apps, schema_editor):
    from certificates.key_encryption import encrypt_private_key, is_plaintext

    IssuerKey = apps.get_model("certificates", "IssuerKey")
    for key in IssuerKey.objects.using(schema_editor.connection.alias).only(
        "pk", "private_key_encrypted"
    ):
        if is_plaintext(key.private_key_encrypted):
            key.private_key_encrypted = encrypt_private_key(key.private_key_encrypted.encode())
            key.save(update_fields=["private_key_encrypted"])


def decrypt_rows(apps, schema_editor):
    from certificates.key_encryption import decrypt_private_key, is_plaintext

    IssuerKey = apps.get_model("certificates", "IssuerKey")
    for key in IssuerKey.objects.using(schema_editor.connection.alias).only(
        "pk", "private_key_encrypted"
    ):
        if not is_plaintext(key.private_key_encrypted):
            key.private_key_encrypted = decrypt_private_key(key.private_key_encrypted).decode()
            key.save(update_fields=["private_key_encrypted"])


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="issuerkey",
            old_name="private_pem",
            new_name="private_key_encrypted",
        ),
        migrations.AlterField(
            model_name="issuerkey",
            name="private_key_encrypted",
            field=models.TextField(editable=False, verbose_name="private key (encrypted)"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
