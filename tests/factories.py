"""factory-boy factories for the bank and attempts."""

import factory
from django.contrib.auth.models import User

from quiz.models import Choice, Concept, Domain, Exam, Question, TaskStatement, Topic

DOP_C02_DOMAINS = [
    ("sdlc", 1, "SDLC Automation", 22, 4),
    ("iac", 2, "Configuration Management and IaC", 17, 3),
    ("resilience", 3, "Resilient Cloud Solutions", 15, 3),
    ("monitoring", 4, "Monitoring and Logging", 15, 3),
    ("incident", 5, "Incident and Event Response", 14, 3),
    ("security", 6, "Security and Compliance", 17, 3),
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "correct-horse-battery")
        if create:
            self.save(update_fields=["password"])


def blueprint() -> tuple[Exam, list[Domain]]:
    """Create the DOP-C02 exam row, its six domains and their task statements."""
    exam, _ = Exam.objects.get_or_create(
        code="DOP-C02",
        defaults={
            "title": "AWS Certified DevOps Engineer - Professional",
            "question_count": 75,
            "time_limit_minutes": 180,
            "passing_score": 750,
        },
    )
    domains = []
    for key, number, name, weight, task_count in DOP_C02_DOMAINS:
        domain, _ = Domain.objects.get_or_create(
            key=key, defaults={"number": number, "name": name, "weight_percent": weight}
        )
        for task in range(1, task_count + 1):
            TaskStatement.objects.get_or_create(
                code=f"{number}.{task}", defaults={"domain": domain, "name": f"Task {number}.{task}"}
            )
        domains.append(domain)
    return exam, domains


class ConceptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concept
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"concept-{n}")
    name = factory.LazyAttribute(lambda o: o.key.replace("-", " "))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    key = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")
    domain = factory.LazyFunction(lambda: blueprint()[1][0])
    notes = "Study notes with **markdown**."
    source_section = "Section"
    references = ["https://docs.aws.amazon.com/"]
    content_hash = "x"


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question with choices: 1 correct of 4, or (multiple=True) 2 correct of 5."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    class Params:
        multiple = False

    key = factory.Sequence(lambda n: f"question-{n}")
    domain = factory.LazyFunction(lambda: blueprint()[1][0])
    topic = factory.LazyAttribute(
        lambda o: Topic.objects.filter(domain=o.domain).first() or TopicFactory(domain=o.domain)
    )
    task = factory.LazyAttribute(lambda o: o.domain.tasks.order_by("code").first())
    kind = factory.LazyAttribute(lambda o: "multiple" if o.multiple else "single")
    stem = factory.Sequence(lambda n: f"Scenario {n}: which option meets the requirement?")
    explanation = "The deciding fact."
    references = ["https://docs.aws.amazon.com/"]
    content_hash = "x"

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if not create:
            return
        count, correct = (5, 2) if self.kind == "multiple" else (4, 1)
        concept = ConceptFactory(key="right-idea")
        wrong = ConceptFactory(key="wrong-idea")
        Choice.objects.bulk_create(
            Choice(
                question=self,
                label="ABCDEF"[index],
                text=f"Option {index} of {self.key}",
                is_correct=index < correct,
                rationale=f"Why option {index} is {'right' if index < correct else 'wrong'}.",
                concept=concept if index < correct else wrong,
            )
            for index in range(count)
        )


def correct_choice_ids(question: Question) -> list[int]:
    return list(question.choices.filter(is_correct=True).values_list("pk", flat=True))


def wrong_choice_ids(question: Question, count: int = 1) -> list[int]:
    return list(question.choices.filter(is_correct=False).values_list("pk", flat=True)[:count])
