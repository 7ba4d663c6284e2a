"""Stories: online grouping by words and entities, indexed candidates, time windows and labels."""
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select

from onrecord.corpus import store
from onrecord.corpus.stories import MemoryStoryState, SqlStoryState, StoryClusterer, surface_entities

FLOOD = ["Floodwater from the Tarvel river swept through Odrinsk overnight, and mayor Ilsa Brandt ordered the "
         "evacuation of the lower town as the Tarvel levee gave way near the old mill.",
         "Rescue crews in Odrinsk pulled residents from rooftops after the Tarvel levee burst; mayor Ilsa Brandt "
         "said the evacuation of the lower town would continue while the river keeps rising.",
         "The Tarvel crest reached Odrinsk's old mill at dawn. Mayor Ilsa Brandt asked volunteers to fill "
         "sandbags as the levee breach widened and the evacuation widened to the market district."]
ELECTION = ["Voters in Kessland re-elected governor Dorin Vasko by a narrow margin, with turnout in the "
            "northern provinces reaching a record for a Kessland governorship ballot.",
            "Governor Dorin Vasko claimed victory in Kessland after a ballot count that dragged past midnight; "
            "his rival conceded as northern provinces reported record turnout."]


def _clusterer(**options):
    return StoryClusterer(threshold=0.15, **options)


def test_articles_of_one_event_share_a_story_and_another_event_does_not():
    clusterer = _clusterer(window=None)
    flood = {clusterer.add(f"f{i}", text).id for i, text in enumerate(FLOOD)}
    election = {clusterer.add(f"e{i}", text).id for i, text in enumerate(ELECTION)}
    assert len(flood) == 1 and len(election) == 1 and flood != election


def test_time_window_keeps_a_later_event_apart():
    clusterer = _clusterer(window=timedelta(days=3))
    first = clusterer.add("f0", FLOOD[0], published=datetime(2026, 4, 1))
    later = clusterer.add("f1", FLOOD[1], published=datetime(2026, 6, 1))
    near = clusterer.add("f2", FLOOD[2], published=datetime(2026, 4, 2))
    assert later.id != first.id and near.id == first.id
    assert (first.first_seen, first.last_seen) == (datetime(2026, 4, 1), datetime(2026, 4, 2))


def _feed_flood_with_an_early_outlier(clusterer):
    """The election story, then the flood's second article kept out of the first's story (as if it had come
    too early to match), then the third, which joins one of them."""
    for i, text in enumerate(ELECTION):
        clusterer.add(i, text)
    clusterer.add(10, FLOOD[0])
    threshold, clusterer.threshold = clusterer.threshold, 2.0
    early = clusterer.add(11, FLOOD[1]).id
    clusterer.threshold = threshold
    return early, clusterer.add(12, FLOOD[2])


@pytest.mark.parametrize("merge_threshold, stories", [(0.3, 2), (2.0, 3)])
def test_a_grown_story_absorbs_a_small_story_that_now_matches_it(merge_threshold, stories):
    state = MemoryStoryState()
    clusterer = _clusterer(window=None, state=state, merge_threshold=merge_threshold)
    _, story = _feed_flood_with_an_early_outlier(clusterer)
    assert len(state.stories) == stories
    assert len({state.story_of[i] for i in (10, 11, 12)}) == stories - 1
    if stories == 2:
        assert story.size == 3 and sorted(story.articles) == [10, 11, 12]
        assert state.story_of[0] != story.id


def test_the_store_moves_an_absorbed_storys_members_and_keys():
    engine = create_engine("sqlite://")
    store.metadata.create_all(engine, tables=[store.stories, store.story_keys, store.term_documents,
                                               store.story_members])
    with engine.begin() as connection:
        early, story = _feed_flood_with_an_early_outlier(_clusterer(window=None, state=SqlStoryState(connection)))
        members = select(store.story_members.c.article_id, store.story_members.c.story_id)
        assert sorted(article for article, owner in connection.execute(members) if owner == story.id) == [10, 11, 12]
        assert connection.execute(select(func.count()).select_from(store.stories)).scalar() == 2
        size = select(store.stories.c.articles).where(store.stories.c.id == story.id)
        assert connection.execute(size).scalar() == 3
        assert not connection.execute(select(store.story_keys).where(store.story_keys.c.story_id == early)).first()
        moved = select(store.story_keys.c.story_id).where(store.story_keys.c.key == "entity:ilsa brandt")
        assert set(connection.execute(moved).scalars()) == {story.id}


def test_candidates_come_from_the_index_not_every_story():
    clusterer = _clusterer(window=None)
    for i, text in enumerate(ELECTION):
        clusterer.add(f"e{i}", text)
    flood = clusterer.add("f0", FLOOD[0])
    keys = clusterer._keys(clusterer._weights(Counter({"tarvel": 2, "levee": 1})), set())
    assert [s.id for s in clusterer.candidates(keys, None)] == [flood.id]


def test_label_names_key_entities_and_a_phrase():
    clusterer = _clusterer(window=None)
    for i, text in enumerate(FLOOD):
        story = clusterer.add(f"f{i}", text)
    label = story.label(clusterer.idf)
    assert "ilsa brandt" in label["entities"]
    assert label["phrase"] in {"tarvel levee", "ilsa brandt", "lower town", "mayor ilsa", "old mill"}


def test_surface_entities_skip_sentence_openers_and_keep_names():
    found = surface_entities("Yesterday the Velmora Harbour Board met. Officials said Anneke Solvang would speak.")
    assert found == {"velmora harbour board", "anneke solvang"}
