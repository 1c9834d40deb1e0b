"""The clinic's first article, "What Runners Need For Perfect Spine Alignment?", as published on
its old site (shared/seed), for `manage.py load_demo_content`. Only creates what is missing."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils.html import escape
from PIL import Image, ImageDraw

from blog.models import Post, Topic
from clinic.models import Practitioner

SYDNEY = ZoneInfo("Australia/Sydney")
SLUG = "what-runners-need-for-perfect-spine-alignment"
VIDEO = "https://www.youtube.com/embed/Trzq4y3rmHI"

TOPICS = [
    ("Running", "running", "Running form, training and staying injury-free."),
    ("Spine and posture", "spine-and-posture", "How the spine works, and how to look after it."),
]

INTRO = (
    "Most runners focus intensely on pace and distance while overlooking a critical factor that "
    "determines their performance and injury risk. The alignment of their spine during each stride "
    "can either propel them toward personal records or sideline them with chronic pain. Despite "
    "logging countless miles, many athletes remain unaware that their running form creates subtle "
    "but damaging spinal imbalances. The solution requires understanding specific biomechanical "
    "principles that separate efficient runners from those destined for physical therapy."
)

# (heading, paragraphs); VIDEO stands for the embedded video, where the original page had it.
SECTIONS = [
    (
        "Understanding Spine Alignment Fundamentals for Runners",
        [
            VIDEO,
            "Runners frequently underestimate the critical role that proper spine alignment plays "
            "in their performance and injury prevention. Achieving proper alignment requires "
            "maintaining a neutral posture where the head, spine, and tailbone form a straight "
            "line, creating ideal biomechanical efficiency. This fundamental positioning reduces "
            "injury risk while enhancing overall running performance.",
            "Core muscles serve as the foundation for spine stability, absorbing impact forces and "
            "supporting the lower back during each stride. Without adequate core strength, runners "
            "experience excessive strain that compromises their running posture.",
            "Additionally, hip flexibility directly influences spinal alignment, as tight hips "
            "often cause pelvic displacement leading to lower back pain.",
            "Incorporating targeted mobility exercises into training routines addresses these "
            "flexibility limitations. Regular form assessments help identify misalignments early, "
            "providing actionable feedback to improve your running mechanics and prevent long-term "
            "complications.",
        ],
    ),
    (
        "Core Stability and Its Role in Spinal Health",
        [
            "While many athletes focus primarily on building leg strength and cardiovascular "
            "endurance, core stability serves as the cornerstone of effective spinal health for "
            "runners. A strong core maintains proper spinal alignment by supporting the spine and "
            "reducing strain on surrounding tissues.",
            "When core muscles are weak, compensatory movements occur that misalign the spine, "
            "considerably increasing injury rates and lower back pain risk.",
            "Core-strengthening exercises like planks and bird dogs enhance muscle control and "
            "stability, directly improving posture and biomechanics during running.",
            "Research demonstrates that runners with well-conditioned cores experience increased "
            "running efficiency and reduced spinal impact, enabling longer, more comfortable runs.",
            "Consistent core training not only enhances spinal stability but also promotes "
            "superior overall biomechanics, leading to improved performance and greatly reduced "
            "injury rates.",
        ],
    ),
    (
        "Proper Running Form to Maintain Spinal Alignment",
        [
            "Beyond core strengthening, achieving ideal spinal alignment during running requires "
            "mastering fundamental form principles that work synergistically with muscular "
            "stability.",
            "Proper running form begins with maintaining an upright torso and long spine, which "
            "maximizes elastic energy utilization while reducing lower back strain. Runners must "
            "engage the core muscles to stabilize the spine and absorb impact forces effectively.",
            "Head positioning plays an essential role, with ears aligned over shoulders and gaze "
            "directed straight ahead to promote neutral spinal posture. A consistent cadence of "
            "170-180 steps per minute minimizes joint impact while supporting proper alignment.",
            "Leaning slightly from the hips rather than shoulders creates optimal diagonal "
            "alignment from shoulders to ankles. These integrated techniques enhance running "
            "efficiency while preventing muscle imbalances that compromise spinal health.",
        ],
    ),
    (
        "Common Spinal Misalignment Issues in Weekend Athletes",
        [
            "What causes weekend athletes to experience spinal misalignment issues despite their "
            "best intentions to maintain proper running form? The common causes stem from "
            "inadequate core strength, which creates compensatory movements during running "
            "activities.",
            "Poor posture from prolonged sitting contributes greatly to pelvic displacement, "
            "resulting in lower back pain and spinal misalignment while running. Many amateur "
            "runners overstride, landing feet ahead of their center of gravity, disrupting "
            "alignment and increasing injury risk.",
            "Limited hip mobility combined with weakness in stabilizing muscles exacerbates these "
            "alignment problems, causing discomfort and inefficiency in running form.",
            "These interconnected issues create a cycle where poor posture leads to weakened core "
            "muscles, which further compromises spinal alignment and increases the likelihood of "
            "running-related injuries among weekend athletes.",
        ],
    ),
    (
        "Chiropractic Techniques for Marathon Runner Spine Care",
        [
            "Marathon runners face unique spinal challenges that require specialized chiropractic "
            "interventions designed to address the repetitive stress and biomechanical demands of "
            "long-distance running.",
            "Chiropractic care focuses on enhancing spinal alignment through targeted "
            "manipulations and adjustments that improve range of motion throughout the vertebral "
            "column. These techniques directly improve running biomechanics by correcting "
            "postural imbalances and joint dysfunction that commonly develop during training "
            "cycles.",
            "Regular chiropractic sessions effectively address muscle tightness and lower back "
            "pain while supporting faster recovery from intensive workouts.",
            "The improved posture achieved through these interventions helps marathon runners "
            "maintain efficient stride patterns, reducing energy expenditure during races.",
        ],
    ),
    (
        "Essential Exercises for Optimal Spinal Positioning While Running",
        [
            "Several fundamental exercises form the cornerstone of maintaining ideal spinal "
            "positioning during running, targeting the specific muscle groups that support proper "
            "vertebral alignment throughout each stride.",
            "Core-strengthening exercises like dead bugs and bird dogs enhance spinal stability by "
            "reinforcing proper alignment mechanisms. Regular flexibility exercises, particularly "
            "targeting hip flexors and hamstrings, greatly improve spinal positioning by reducing "
            "muscular tension and promoting upright posture.",
            "Single-leg squats develop essential balance and coordination while reinforcing "
            "proper alignment through core engagement. Clamshells strengthen the gluteus medius, "
            "supporting pelvic stability and contributing to neutral spine maintenance during "
            "running activities.",
            "Incorporating yoga into training routines enhances spinal flexibility and alignment, "
            "allowing for improved posture and effective injury prevention strategies that "
            "benefit long-term running performance.",
        ],
    ),
    (
        "Conclusion",
        [
            "Perfect spine alignment for runners requires a multifaceted approach combining core "
            "strengthening, proper running mechanics, and professional care. Runners must "
            "prioritize consistent core stability exercises, maintain neutral spine positioning "
            "during training, and address common misalignment issues through targeted "
            "interventions. Regular chiropractic assessments and corrective exercises create a "
            "foundation for injury prevention and enhanced performance. By integrating these "
            "elements into their training regimen, runners can achieve ideal spinal health and "
            "improved running efficiency.",
        ],
    ),
]


def seed_body():
    parts = [f"<p>{escape(INTRO)}</p>"]
    for heading, paragraphs in SECTIONS:
        parts.append(f"<h2>{escape(heading)}</h2>")
        for text in paragraphs:
            if text == VIDEO:
                parts.append(f'<p><a href="{VIDEO}">{VIDEO}</a></p>')
            else:
                parts.append(f"<p>{escape(text)}</p>")
    return "\n".join(parts)


def hero_placeholder(width=1600, height=900):
    """A calm abstract illustration (a running track at dawn) as JPEG bytes."""
    image = Image.new("RGB", (width, height), (15, 76, 92))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        colour = (int(15 + 212 * t**2), int(76 + 24 * t), int(92 - 40 * t))
        draw.line([(0, y), (width, y)], fill=colour)
    draw.ellipse([width * 0.62, height * 0.18, width * 0.78, height * 0.46], fill=(246, 189, 96))
    for lane in range(6):
        inset = 60 * lane
        draw.arc(
            [-width * 0.4 + inset, height * 0.62 + inset / 3, width * 1.4 - inset, height * 1.9],
            180,
            360,
            fill=(255, 255, 255) if lane % 2 == 0 else (227, 100, 20),
            width=10,
        )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def load(stdout=None):
    topics = [
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "description": about})[0]
        for name, slug, about in TOPICS
    ]
    author = Practitioner.objects.filter(slug="joey-lee").first()
    reviewer = Practitioner.objects.filter(slug="jason-lee").first()
    if author is None:
        author = Practitioner.objects.order_by("order").first()
    if author is None or Post.objects.filter(slug=SLUG).exists():
        if stdout:
            stdout.write(f"Blog: {Post.objects.count()} post(s).")
        return
    post = Post(
        title="What Runners Need For Perfect Spine Alignment?",
        slug=SLUG,
        summary=(
            "How spine alignment affects running performance and injury risk: core stability, "
            "running form, common problems in weekend athletes, chiropractic care and the "
            "exercises that help."
        ),
        body=seed_body(),
        author=author,
        reviewed_by=reviewer,
        last_reviewed=date(2026, 2, 17) if reviewer else None,
        status=Post.Status.PUBLISHED,
        published_at=datetime(2026, 2, 17, 9, 0, tzinfo=SYDNEY),
        hero_image_alt="Illustration of a running track curving towards a rising sun",
    )
    # A named file: Django reads the stored width and height only from a file that has a name.
    hero = ContentFile(hero_placeholder(), name=f"{SLUG}.jpg")
    post.hero_image.save(hero.name, hero, save=False)
    post.save()
    post.topics.set(topics)
    # Imported, not edited: its "last updated" is its publication date, as on the original site.
    Post.objects.filter(pk=post.pk).update(updated_at=post.published_at)
    if stdout:
        stdout.write(f"Blog: {Post.objects.count()} post(s).")
