from blog.importing import webflow
from blog.importing.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import posts (and patient stories) from Webflow CMS 'Export CSV' files. Old addresses "
        "(/post/<slug>) answer 301 to the new ones. Safe to run again: items are matched by "
        "their Webflow Item ID."
    )
    site_name = "Webflow"

    def add_arguments(self, parser):
        parser.add_argument("--posts", required=True, metavar="FILE.csv")
        parser.add_argument("--stories", metavar="FILE.csv", help="A testimonials collection.")
        parser.add_argument(
            "--old-prefix",
            default="/post/",
            help="Where the posts lived on the Webflow site (default /post/).",
        )
        parser.add_argument(
            "--field",
            action="append",
            metavar='KEY="Column"',
            help=f"Which column holds what, if not the blog template's; KEY is one of "
            f"{', '.join(webflow.FIELD_KEYS)}. Repeat for each.",
        )
        super().add_arguments(parser)

    def read(self, options):
        fields = webflow.parse_field_options(options["field"])
        posts = webflow.read_posts(
            options["posts"], fields=fields, old_prefix=options["old_prefix"]
        )
        stories = []
        if options["stories"]:
            stories = webflow.read_stories(options["stories"], fields=fields)
        return posts, stories
