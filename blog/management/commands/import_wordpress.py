from blog.importing import wordpress
from blog.importing.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import posts from a WordPress export (Tools → Export, WXR). Categories become topics; "
        "each post's permalink and /?p=<id> answer 301 to its new address. Safe to run again: "
        "posts are matched by their WordPress post ID."
    )
    site_name = "WordPress"

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.xml")
        super().add_arguments(parser)

    def read(self, options):
        posts, skipped = wordpress.read_export(options["file"])
        if skipped:
            listed = ", ".join(f"{count} {kind}" for kind, count in sorted(skipped.items()))
            self.stdout.write(f"Not imported (not posts): {listed}.")
        return posts, []
