"""CategoricalVocabulary: categories (words) to ids 1, 2, ... in the order first seen, 0 for the unknown token,
with frequency counts and a trim that renumbers by frequency, as TF 1.x's contrib.learn does it."""
import collections

__all__ = ["CategoricalVocabulary"]


class CategoricalVocabulary(object):
    """Maps categories to ids: the unknown token is 0, each new category gets the next id while the vocabulary
    is open; once frozen, an unseen category gets 0.

        v = CategoricalVocabulary(); v.get("a"), v.get("b"), v.get("a")  # -> 1, 2, 1
        v.freeze(); v.get("c")                                            # -> 0
    """

    def __init__(self, unknown_token="<UNK>", support_reverse=True):
        self._unknown_token = unknown_token
        self._mapping = {unknown_token: 0}
        self._support_reverse = support_reverse
        if support_reverse:
            self._reverse_mapping = [unknown_token]
        self._freq = collections.defaultdict(int)
        self._freeze = False

    def __len__(self):
        """The number of ids, the unknown token's included."""
        return len(self._mapping)

    def freeze(self, freeze=True):
        """Freeze (or with False, reopen): a frozen vocabulary gives unseen categories id 0."""
        self._freeze = freeze

    def get(self, category):
        """The id of `category`, adding it with the next id if it is new and the vocabulary is open."""
        if category not in self._mapping:
            if self._freeze:
                return 0
            self._mapping[category] = len(self._mapping)
            if self._support_reverse:
                self._reverse_mapping.append(category)
        return self._mapping[category]

    def add(self, category, count=1):
        """Count `count` more occurrences of `category` (adding it first if it is new)."""
        if self.get(category) <= 0:
            return
        self._freq[category] += count

    def trim(self, min_frequency, max_frequency=-1):
        """Keep the categories seen more than `min_frequency` times (and, with max_frequency > 0, fewer than
        `max_frequency` times), renumbered 1..n from the most frequent down (ties in sorted order)."""
        by_name = sorted(self._freq.items(), key=lambda item: (isinstance(item[0], str), item[0]))
        ordered = sorted(by_name, key=lambda item: item[1], reverse=True)  # stable: ties stay sorted by name
        self._mapping = {self._unknown_token: 0}
        if self._support_reverse:
            self._reverse_mapping = [self._unknown_token]
        idx = 1
        for category, count in ordered:
            if max_frequency > 0 and count >= max_frequency:
                continue
            if count <= min_frequency:
                break
            self._mapping[category] = idx
            idx += 1
            if self._support_reverse:
                self._reverse_mapping.append(category)
        # TF keeps the first idx-1 counts of the sorted list (a category skipped by max_frequency shifts it)
        self._freq = dict(ordered[:idx - 1])

    def reverse(self, class_id):
        """The category with id `class_id`."""
        if not self._support_reverse:
            raise ValueError("This vocabulary wasn't initalized with support_reverse to support reverse() "
                             "function.")
        return self._reverse_mapping[class_id]

    # ---------------------------------------------------------------- a plain-data form for VocabularyProcessor.save
    def _to_json(self):
        return {"unknown_token": self._unknown_token, "support_reverse": self._support_reverse,
                "freeze": self._freeze, "mapping": sorted(([k, v] for k, v in self._mapping.items()),
                                                           key=lambda kv: kv[1]),
                "freq": [[k, v] for k, v in self._freq.items()],
                "reverse": list(self._reverse_mapping) if self._support_reverse else None}

    @classmethod
    def _from_json(cls, data):
        vocab = cls(data["unknown_token"], data["support_reverse"])
        vocab._mapping = {k: v for k, v in data["mapping"]}
        vocab._freq = collections.defaultdict(int, {k: v for k, v in data["freq"]})
        vocab._freeze = data["freeze"]
        if vocab._support_reverse:
            vocab._reverse_mapping = list(data["reverse"])
        return vocab
