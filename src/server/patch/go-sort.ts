/**
 * Go's sort.SliceStable (insertion sort in blocks of 20, then SymMerge), reproduced step for step
 * so that strategic merge patch orders lists exactly like kube-apiserver, including when upstream's
 * comparator is inconsistent (it answers "less" for elements missing from the ordering list).
 * Sorts `data` in place; `less` receives elements, not indices.
 */
export function goSliceStable<T>(data: T[], less: (a: T, b: T) => boolean): void {
  const lessAt = (i: number, j: number): boolean => less(data[i]!, data[j]!);
  const swap = (i: number, j: number): void => {
    const t = data[i]!;
    data[i] = data[j]!;
    data[j] = t;
  };
  const n = data.length;
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertionSort(a, b);
    a = b;
    b += blockSize;
  }
  insertionSort(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }

  function insertionSort(lo: number, hi: number): void {
    for (let i = lo + 1; i < hi; i++) {
      for (let j = i; j > lo && lessAt(j, j - 1); j--) swap(j, j - 1);
    }
  }

  function symMerge(lo: number, m: number, hi: number): void {
    if (m - lo === 1) {
      let i = m;
      let j = hi;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (lessAt(h, lo)) i = h + 1;
        else j = h;
      }
      for (let k = lo; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (hi - m === 1) {
      let i = lo;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!lessAt(m, h)) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (lo + hi) >>> 1;
    const nn = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = nn - hi;
      r = mid;
    } else {
      start = lo;
      r = m;
    }
    const p = nn - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!lessAt(p - c, c)) start = c + 1;
      else r = c;
    }
    const end = nn - start;
    if (start < m && m < end) rotate(start, m, end);
    if (lo < start && start < mid) symMerge(lo, start, mid);
    if (mid < end && end < hi) symMerge(mid, end, hi);
  }

  function rotate(lo: number, m: number, hi: number): void {
    let i = m - lo;
    let j = hi - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  }

  function swapRange(x: number, y: number, count: number): void {
    for (let k = 0; k < count; k++) swap(x + k, y + k);
  }
}
