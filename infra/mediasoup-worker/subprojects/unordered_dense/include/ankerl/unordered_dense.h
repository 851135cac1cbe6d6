// Stand-in for martinus/unordered_dense (ankerl/unordered_dense.h), which
// Debian 12 does not package. mediasoup's worker uses only
// ankerl::unordered_dense::map, ::set and ::hash; here they are the standard
// library's std::unordered_map, std::unordered_set and std::hash.
//
// Differences that matter to a reader of mediasoup's code:
// - Iteration order is unspecified (ankerl's containers iterate in insertion
//   order until something is erased). mediasoup does not rely on it.
// - Performance: std containers are node based, ankerl's are flat vectors.
//   Fine for the worker's map sizes (per-transport/per-router tables).
// - Iterator invalidation is *less* strict here (std never invalidates other
//   iterators on erase), so code written for ankerl stays correct.
#ifndef DISTPRIEM_ANKERL_UNORDERED_DENSE_SHIM_H
#define DISTPRIEM_ANKERL_UNORDERED_DENSE_SHIM_H

#include <cstddef>
#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#define ANKERL_UNORDERED_DENSE_VERSION_MAJOR 4
#define ANKERL_UNORDERED_DENSE_VERSION_MINOR 8
#define ANKERL_UNORDERED_DENSE_VERSION_PATCH 1

namespace ankerl::unordered_dense
{
	// ankerl's hash<T> works for every type std::hash<T> works for (plus its
	// own specialisations, which mediasoup does not add to).
	template<class T, class Enable = void>
	struct hash : std::hash<T>
	{
	};

	template<
	  class Key,
	  class T,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<std::pair<const Key, T>>>
	using map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

	template<
	  class Key,
	  class T,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<std::pair<const Key, T>>>
	using segmented_map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

	template<
	  class Key,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;

	template<
	  class Key,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<Key>>
	using segmented_set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;
} // namespace ankerl::unordered_dense

#endif
